import { randomUUID } from 'node:crypto';
import { type CallDetection, callMetadata, checkpointReachedFrame } from '@callwire/core';
import { defineCarrier, previewValue } from '@callwire/kit';
import {
  ASTERISK_INBOUND_EVENTS,
  type AsteriskControlFormat,
  AsteriskInboundEventSchema,
  AsteriskMediaStartEventSchema,
  asteriskCommand,
  parseAsteriskPlainText,
} from './events.js';
import { asteriskWireFormat, frameBytesOf, silenceByte } from './formats.js';
import { createAsteriskFramer } from './framer.js';
import { createMarkIds, type MarkIds } from './mark-ids.js';
import { type AsteriskMediaFlow, createAsteriskMediaFlow } from './media-flow.js';
import {
  AsteriskWebSocketCallParamsSchema,
  AsteriskWebSocketOptionsSchema,
  type ResolvedAsteriskWebSocketCallParams,
} from './options.js';

/** One call's protocol state (the kit's `session`): outbound builders fill it, inbound events act on it. */
interface AsteriskSession {
  readonly flow: AsteriskMediaFlow;
  readonly marks: MarkIds;
}

/** Bytes per Asterisk frame on a call with `params`: MEDIA_START's `optimal_frame_size`, else `ptime` ms. */
function frameBytesFor(params: ResolvedAsteriskWebSocketCallParams): number {
  // The params schema refuses any other format, so the lookup always succeeds.
  const format = asteriskWireFormat(params.format) ?? { encoding: 'mulaw', sampleRate: 8000 };
  return params.optimalFrameSize ?? frameBytesOf(format, params.ptime);
}

/**
 * Asterisk's WebSocket channel driver (`chan_websocket`, Asterisk 20.16+/21.11+/22.6+/23.0+):
 * `registerCarrier(container, asteriskWebSocket, {})`. Binary messages carry media in the channel's
 * format (ulaw, alaw, slin … slin192), sent in whole `optimal_frame_size` frames and never over 65,500
 * bytes; control messages are JSON (`{"command":…}` out, `{"event":…}` in) or the plain-text format,
 * whichever MEDIA_START came in. `interruption` sends `FLUSH_MEDIA`, `checkpoint` `MARK_MEDIA`
 * (answered by `MEDIA_MARK_PROCESSED`), `end` the in-protocol `HANGUP`; `MEDIA_XOFF`/`MEDIA_XON` hold
 * and release outbound media so that Asterisk drops none of it. Streams authenticate with the HTTP
 * basic auth of `websocket_client.conf` (`wsUsername`/`wsPassword`; `streamAuth: 'basic'`).
 */
export const asteriskWebSocket = defineCarrier({
  name: 'asterisk',
  options: AsteriskWebSocketOptionsSchema,
  params: AsteriskWebSocketCallParamsSchema,
  wireFormat: (params) => asteriskWireFormat(params.format) ?? { encoding: 'mulaw', sampleRate: 8000 },
  detect: detectAsteriskWebSocketCall,
  environment: { wsUsername: 'ASTERISK_WS_USERNAME', wsPassword: 'ASTERISK_WS_PASSWORD' },
  // Asterisk's websocket_client.conf sends HTTP basic auth on the upgrade (its username and password);
  // it has no answer webhook that could hand it a stream token.
  streamAuth: 'basic',
  streamCredentials: ({ wsUsername, wsPassword }) =>
    wsUsername !== undefined && wsPassword !== undefined
      ? { username: wsUsername, password: wsPassword }
      : undefined,
  session: ({ params, warn }): AsteriskSession => ({
    marks: createMarkIds(params.controlFormat),
    flow: createAsteriskMediaFlow({
      frameBytes: frameBytesFor(params),
      maxHeldBytes: params.maxHeldBytes,
      statusCommand: asteriskCommand(params.controlFormat, 'GET_STATUS'),
      warn,
    }),
  }),
  inbound: {
    events: ASTERISK_INBOUND_EVENTS,
    schema: AsteriskInboundEventSchema,
    plainText: parseAsteriskPlainText,
    binary: 'audio',
    toFrames(event, call) {
      switch (event.event) {
        case 'DTMF_END':
          return call.dtmf(event.digit);
        case 'MEDIA_MARK_PROCESSED':
          if (event.correlation_id === undefined || event.correlation_id === '') {
            call.logger.debug({ streamId: call.streamId }, '[asterisk] a mark without a correlation id');
            return undefined;
          }
          return checkpointReachedFrame(call.session.marks.nameOf(event.correlation_id));
        case 'MEDIA_XOFF':
          call.session.flow.xoff();
          return undefined;
        case 'MEDIA_XON':
          for (const message of call.session.flow.xon()) call.reply(message);
          return undefined;
        case 'STATUS': {
          const full = event.queue_full === true || event.queue_full === 'true';
          for (const message of call.session.flow.status(event.queue_length, full)) call.reply(message);
          return undefined;
        }
        case 'ERROR':
          call.warn(
            'asterisk-error',
            `Asterisk reported an error: ${previewValue(event.error_text ?? '', 200)}`,
          );
          return undefined;
        case 'MEDIA_START':
          if (event.format !== call.params.format) {
            call.warn(
              'format-change',
              `MEDIA_START names format ${previewValue(event.format)}, the call started as ${call.params.format}; keeping it`,
            );
          }
          return undefined;
        case 'MEDIA_BUFFERING_COMPLETED':
        case 'QUEUE_DRAINED':
          call.logger.debug({ streamId: call.streamId, event: event.event }, '[asterisk] event');
          return undefined;
      }
    },
  },
  outbound: ({ params, session }) => {
    const format: AsteriskControlFormat = params.controlFormat;
    const { flow, marks } = session;
    const flush = asteriskCommand(format, 'FLUSH_MEDIA');
    const hangUp = asteriskCommand(format, 'HANGUP');
    return {
      // With a framer, each chunk is a new array of its own: it goes out as is.
      media: (bytes) => bytes,
      clear: () => flush,
      checkpoint: (name) => asteriskCommand(format, 'MARK_MEDIA', marks.idFor(name)),
      end: () => [hangUp],
      gate: flow.gate,
    };
  },
  framer: (format, params) => createAsteriskFramer(frameBytesFor(params), silenceByte(format)),
});

/**
 * Recognises chan_websocket's first message, `MEDIA_START`, in JSON or plain text. The stream id is its
 * `connection_id`, the call id the channel's unique id; the channel variables (JSON only) become
 * `call.info.customParameters`. Never throws.
 */
export function detectAsteriskWebSocketCall(message: unknown): CallDetection {
  try {
    const plain = typeof message === 'string';
    const value = plain ? parseAsteriskPlainText(message) : message;
    const parsed = AsteriskMediaStartEventSchema.safeParse(value);
    if (!parsed.success) return undefined;
    const start = parsed.data;
    const streamId = [start.connection_id, start.channel_id].find((id) => id !== undefined && id !== '');
    return {
      streamId: streamId ?? randomUUID(),
      ...(start.channel_id ? { callId: start.channel_id } : {}),
      params: {
        format: start.format,
        ...(start.optimal_frame_size > 0 ? { optimalFrameSize: start.optimal_frame_size } : {}),
        ...(start.ptime !== undefined ? { ptime: start.ptime } : {}),
        controlFormat: plain ? 'plain-text' : 'json',
      },
      metadata: callMetadata({ customParameters: start.channel_variables, raw: message }),
    };
  } catch {
    return undefined;
  }
}
