import { type CallDetection, callMetadata, checkpointReachedFrame } from '@callwire/core';
import { defineCarrier, isJsonObject } from '@callwire/kit';
import {
  JAMBONZ_INBOUND_EVENTS,
  JambonzInboundEventSchema,
  type JambonzOpening,
  JambonzOpeningSchema,
  jambonzDisconnectCommand,
  jambonzKillAudioCommand,
  jambonzMarkCommand,
  withMessageType,
} from './events.js';
import { isJambonzSampleRate, JambonzCallParamsSchema, JambonzOptionsSchema } from './options.js';
import { firstChannelOfStereo } from './stereo.js';

/**
 * Attributes jambonz itself puts in the opening (`CallInfo.toJSON()` in jambonz-feature-server
 * `lib/session/call-info.js`, plus `sampleRate` and `mixType`). Every other top-level entry is the
 * listen verb's own `metadata`, which becomes custom parameters.
 */
const CALL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'sampleRate',
  'mixType',
  'callSid',
  'direction',
  'from',
  'to',
  'callId',
  'sbcCallid',
  'sipStatus',
  'sipReason',
  'callStatus',
  'callerId',
  'accountSid',
  'traceId',
  'applicationSid',
  'fsSipAddress',
  'parentCallSid',
  'originatingSipIp',
  'originatingSipTrunkName',
  'callTerminationBy',
  'duration',
  'customerData',
  'headers',
  'apiBaseUrl',
  'fsPublicIp',
]);

/** The listen verb's `metadata` (top-level entries jambonz does not set), then the `tag` verb's `customerData`. */
function customParametersOf(opening: JambonzOpening): Record<string, unknown> {
  const verbMetadata = Object.fromEntries(
    Object.entries(opening).filter(([key]) => !CALL_ATTRIBUTES.has(key)),
  );
  return { ...verbMetadata, ...opening.customerData };
}

/**
 * Recognises jambonz's opening text frame: an object with no `event` or `type`, a `callSid`, a numeric
 * `sampleRate` and a `mixType` of `mono`, `mixed` or `stereo`. The call sid is both the call and the
 * stream id (a listen stream has no id of its own). Never throws.
 */
export function detectJambonzCall(message: unknown): CallDetection {
  if (!isJsonObject(message) || 'event' in message || 'type' in message) return undefined;
  const parsed = JambonzOpeningSchema.safeParse(message);
  if (!parsed.success) return undefined;
  const opening = parsed.data;
  const rate = opening.sampleRate;
  return {
    streamId: opening.callSid,
    callId: opening.callSid,
    params: {
      ...(isJambonzSampleRate(rate) ? { jambonzSampleRate: rate } : {}),
      mixType: opening.mixType,
    },
    metadata: callMetadata({
      from: opening.from,
      to: opening.to,
      direction: opening.direction,
      customParameters: customParametersOf(opening),
      raw: message,
    }),
  };
}

/**
 * jambonz's `listen` verb in bidirectional streaming mode: `registerCarrier(container, jambonz, {})`.
 * Caller audio is binary 16-bit little-endian PCM at the verb's `sampleRate` (the opening text frame
 * announces it); audio goes back as binary PCM at `bidirectionalAudio.sampleRate`. `interruption`
 * sends `killAudio`, `checkpoint` sends `mark` (its `playout` event becomes `checkpoint-reached`; a
 * `cleared` one does not), and `end` sends `disconnect`, which ends the listen verb: jambonz runs the
 * application's next verb (none: the call ends). No REST API is involved, so no credentials.
 */
export const jambonz = defineCarrier({
  name: 'jambonz',
  options: JambonzOptionsSchema,
  params: JambonzCallParamsSchema,
  environment: { wsUsername: 'JAMBONZ_WS_USERNAME', wsPassword: 'JAMBONZ_WS_PASSWORD' },
  // The listen verb's `wsAuth` is jambonz's only way to authenticate its stream.
  streamAuth: 'basic',
  streamCredentials: ({ wsUsername, wsPassword }) =>
    wsUsername !== undefined && wsPassword !== undefined
      ? { username: wsUsername, password: wsPassword }
      : undefined,
  wireFormat: (params, options) => ({
    encoding: 'l16',
    sampleRate: params.bidirectionalSampleRate ?? options.bidirectionalSampleRate ?? params.jambonzSampleRate,
  }),
  inboundWireFormat: (params) => ({ encoding: 'l16', sampleRate: params.jambonzSampleRate }),
  detect: detectJambonzCall,
  inbound: {
    events: JAMBONZ_INBOUND_EVENTS,
    eventKey: 'type',
    schema: JambonzInboundEventSchema,
    normalize: withMessageType,
    binary: 'audio',
    audio(bytes, call) {
      if (call.params.mixType !== 'stereo') return call.audioFromBytes(bytes);
      if (bytes.length % 4 !== 0) {
        call.warn('partial-stereo-frame', `a ${bytes.length}-byte stereo message is not whole frames`);
      }
      // Channel 0 is what the caller says (the read stream); channel 1, what they hear, is dropped.
      return call.audioFromBytes(firstChannelOfStereo(bytes));
    },
    toFrames(event, call) {
      switch (event.type) {
        case 'dtmf':
          return call.dtmf(String(event.dtmf));
        case 'mark':
          if (event.data.event === 'playout') return checkpointReachedFrame(event.data.name);
          // killAudio or clearMarks dropped the audio before it: the checkpoint was never reached.
          call.logger.debug({ streamId: call.streamId, mark: event.data.name }, '[jambonz] mark cleared');
          return undefined;
        case 'metadata': {
          const rate = event.sampleRate;
          const current = call.wireFormat.sampleRate;
          if (!isJambonzSampleRate(rate)) {
            call.warn('unsupported-rate', `the opening announces ${rate} Hz; decoding ${current} Hz`);
          } else if (rate !== current) {
            call.warn(
              'rate-mismatch',
              `the opening announces ${rate} Hz, params say ${current} Hz; decoding ${rate} Hz (set jambonzSampleRate)`,
            );
            call.setWireFormat({ encoding: 'l16', sampleRate: rate }, 'inbound');
          }
          if (event.mixType !== call.params.mixType) {
            call.warn(
              'mix-type-mismatch',
              `the opening announces mixType ${event.mixType}, params say ${call.params.mixType}; set mixType`,
            );
          }
          return undefined;
        }
        case 'playDone':
          call.logger.debug({ streamId: call.streamId }, '[jambonz] playDone');
          return undefined;
      }
    },
  },
  outbound: () => ({
    // Without a framer `bytes` is reused by the next frame: each message gets its own copy.
    media: (bytes) => Buffer.from(bytes),
    clear: jambonzKillAudioCommand,
    checkpoint: jambonzMarkCommand,
    end: () => [jambonzDisconnectCommand()],
  }),
});
