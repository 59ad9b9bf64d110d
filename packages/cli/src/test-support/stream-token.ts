import { mintStreamToken, streamUrlWithToken } from '@callwire/server';

/**
 * The stream secret `runCli` gives every spawned `callwire serve` (as `CALLWIRE_STREAM_SECRET`, the way a
 * deployment shares one), so a test that opens a stream without an answer request can mint its token.
 */
export const CLI_STREAM_SECRET = 'cli-test-stream-secret-7c1e9a';

/** `url` (`ws://host/stream`) with a fresh stream token for one call of `carrier`, as an answer would carry. */
export function withToken(url: string, carrier: string, callId?: string): string {
  return streamUrlWithToken(url, mintStreamToken({ secret: CLI_STREAM_SECRET, carrier, callId }));
}
