import { mintStreamToken, streamUrlWithToken } from '@callwire/server';

/**
 * The stream secret every load-test server process gets (`CALLWIRE_STREAM_SECRET`): each simulated call
 * mints its own stream token, as the carrier's answer would carry it. The bare-echo baseline ignores it.
 */
export const LOAD_STREAM_SECRET = 'load-test-stream-secret-2f8a61';

/** `url` with a fresh stream token for call `callId` of `carrier` (about 2 µs: see bench/stream-auth.bench.ts). */
export function tokenisedStreamUrl(url: string, carrier: string, callId: string): string {
  return streamUrlWithToken(url, mintStreamToken({ secret: LOAD_STREAM_SECRET, carrier, callId }));
}
