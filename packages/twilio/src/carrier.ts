import { type CallDetection, callMetadata, checkpointReachedFrame, stringEntries } from '@callwire/core';
import { answerField, defineCarrier, isJsonObject, previewValue } from '@callwire/kit';
import { TwilioCallControl } from './call-control.js';
import { TWILIO_INBOUND_EVENTS, TwilioInboundEventSchema, TwilioStartEventSchema } from './events.js';
import { twilioMediaFastPath } from './media-fast-path.js';
import { TWILIO_SAMPLE_RATE, TwilioCallParamsSchema, TwilioOptionsSchema } from './options.js';
import { answerTwilioWebhook, twilioDirection, verifyTwilioWebhook } from './webhook.js';

/**
 * Recognises Twilio's opening messages: `connected` carries no ids yet (`'need-more'`); `start`
 * carries `start.streamSid` and `start.callSid` (Pipecat's runner tests the same two fields,
 * pipecat-ai/pipecat src/pipecat/runner/utils.py). Never throws.
 */
export function detectTwilioCall(message: unknown): CallDetection {
  let value = message;
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message);
    } catch {
      return undefined;
    }
  }
  if (isJsonObject(value) && value.event === 'connected') return 'need-more';
  const start = TwilioStartEventSchema.safeParse(value).data?.start;
  if (start === undefined) return undefined;
  // Twilio's start names no numbers; an answer that passes them as <Parameter>s (ours does) fills them in.
  const customParameters = stringEntries(start.customParameters);
  return {
    streamId: start.streamSid,
    callId: start.callSid,
    metadata: callMetadata({
      from: customParameters.from,
      to: customParameters.to,
      direction: twilioDirection(customParameters.direction),
      customParameters,
      raw: value,
    }),
  };
}

/**
 * Twilio Media Streams: `registerCarrier(container, twilio, { accountSid, authToken })`. Caller audio
 * is base64 mu-law at 8 kHz in JSON; `media`, `mark` and `clear` go back (only those: anything else is
 * error 31924, twilio.com/docs/api/errors/31924); calls end over Twilio's REST API.
 */
export const twilio = defineCarrier({
  name: 'twilio',
  options: TwilioOptionsSchema,
  params: TwilioCallParamsSchema,
  environment: {
    accountSid: 'TWILIO_ACCOUNT_SID',
    authToken: 'TWILIO_AUTH_TOKEN',
    apiBaseUrl: 'TWILIO_API_BASE_URL',
    region: 'TWILIO_REGION',
    edge: 'TWILIO_EDGE',
  },
  hangUp: {
    control: (options, logger) => new TwilioCallControl(options, logger),
    needs: (options) => ({ accountSid: options.accountSid, authToken: options.authToken }),
  },
  wireFormat: () => ({ encoding: 'mulaw', sampleRate: TWILIO_SAMPLE_RATE }),
  detect: detectTwilioCall,
  answer: (request) => answerTwilioWebhook(request),
  // The voice webhook's `CallSid` is the stream's `start.callSid`.
  answerCallId: (request) => answerField(request, 'CallSid'),
  verifyWebhook: (request, options) => verifyTwilioWebhook(request, options?.authToken),
  inbound: {
    events: TWILIO_INBOUND_EVENTS,
    schema: TwilioInboundEventSchema,
    fastPath: twilioMediaFastPath,
    streamIdOf: (event) =>
      event.event === 'start'
        ? event.start.streamSid
        : event.event === 'connected'
          ? undefined
          : event.streamSid,
    toFrames(event, call) {
      switch (event.event) {
        case 'media': {
          const { track, payload } = event.media;
          // `inbound_track` (the name Twilio's dtmf and Telnyx's stream_track use) counts as caller audio too;
          // <Start><Stream track="both_tracks"> also streams what the call plays: not the caller speaking.
          if (track !== undefined && track !== 'inbound' && track !== 'inbound_track') {
            call.warn(
              'other-track',
              `ignoring media of track ${previewValue(track)} (only inbound is caller audio)`,
            );
            return undefined;
          }
          return call.audioFromBase64(payload);
        }
        case 'dtmf':
          return call.dtmf(event.dtmf.digit);
        case 'mark':
          return checkpointReachedFrame(event.mark.name);
        case 'stop':
          call.logger.debug({ streamId: call.streamId }, '[twilio] stream stopped');
          return undefined;
        default:
          // connected and start carry no frame: the server reads the ids from them.
          return undefined;
      }
    },
  },
  outbound({ streamId }) {
    const sid = JSON.stringify(streamId);
    // Media is built around a base64 payload, which never needs JSON escaping: the same text as
    // JSON.stringify({ event: 'media', streamSid, media: { payload } }).
    const head = `{"event":"media","streamSid":${sid},"media":{"payload":"`;
    return {
      media: (bytes) => `${head}${bytes.toString('base64')}"}}`,
      clear: () => `{"event":"clear","streamSid":${sid}}`,
      checkpoint: (name) => JSON.stringify({ event: 'mark', streamSid: streamId, mark: { name } }),
    };
  },
});
