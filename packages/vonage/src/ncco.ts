import { vonageContentType } from './events.js';
import type { VonageSampleRate } from './options.js';

/**
 * The NCCO header that carries the call's uuid to the WebSocket. Vonage echoes the endpoint's
 * `headers` at the top level of `websocket:connected`, and nothing else in that message names the
 * call, so the hang-up needs the uuid put there. `detect` also reads `uuid`.
 */
export const VONAGE_CALL_UUID_HEADER = 'call_uuid';

/** What `vonageWebSocketNcco` builds. */
export interface VonageWebSocketNccoInput {
  /** `wss://` URL of the media-stream endpoint. */
  readonly streamUrl: string;
  /** The call's uuid (the `uuid` query parameter of the answer webhook); put in the headers. */
  readonly callUuid?: string;
  /** Wire rate, Hz. @default 16000 */
  readonly sampleRate?: VonageSampleRate;
  /** More custom headers for the WebSocket's first message (Vonage caps `headers` at 512 bytes). */
  readonly headers?: Readonly<Record<string, unknown>>;
  /** Where Vonage posts the connect action's events (e.g. `disconnected`). */
  readonly eventUrl?: string;
}

/**
 * An NCCO that connects the call to a WebSocket (Vonage WebSocket guide, "Connecting to a
 * WebSocket"): a `connect` action with one `websocket` endpoint, `content-type`
 * `audio/l16;rate=<sampleRate>` and the call uuid in `headers.call_uuid`.
 */
export function vonageWebSocketNcco(input: VonageWebSocketNccoInput): unknown[] {
  const headers = {
    ...input.headers,
    ...(input.callUuid !== undefined ? { [VONAGE_CALL_UUID_HEADER]: input.callUuid } : {}),
  };
  return [
    {
      action: 'connect',
      ...(input.eventUrl !== undefined ? { eventUrl: [input.eventUrl] } : {}),
      endpoint: [
        {
          type: 'websocket',
          uri: input.streamUrl,
          'content-type': vonageContentType(input.sampleRate ?? 16000),
          ...(Object.keys(headers).length > 0 ? { headers } : {}),
        },
      ],
    },
  ];
}
