import { type CallDetection, callMetadata, checkpointReachedFrame } from '@callwire/core';
import { defineCarrier } from '@callwire/kit';
import { acmeCallControl } from './call-control.js';
import { ACME_INBOUND_EVENTS, AcmeInboundEventSchema, AcmeStartEventSchema } from './events.js';
import { AcmeCallParamsSchema, AcmeOptionsSchema } from './options.js';

/** Recognises Acme's opening `start` message (already JSON-parsed by the server); never throws. */
export function detectAcmeCall(message: unknown): CallDetection {
  const start = AcmeStartEventSchema.safeParse(message);
  if (!start.success) return undefined;
  const { streamId, callId } = start.data;
  // call.info: what the opening says of the call (Acme sends no numbers), and the message itself.
  return { streamId, callId, params: {}, metadata: callMetadata({ raw: message }) };
}

/** The Acme carrier: `registerCarrier(container, acme, { apiKey })`. */
export const acme = defineCarrier({
  name: 'acme',
  options: AcmeOptionsSchema,
  params: AcmeCallParamsSchema,
  environment: { apiKey: 'ACME_API_KEY' },
  hangUp: { control: acmeCallControl, needs: (options) => ({ apiKey: options.apiKey }) },
  wireFormat: () => ({ encoding: 'mulaw', sampleRate: 8000 }),
  detect: detectAcmeCall,
  inbound: {
    events: ACME_INBOUND_EVENTS,
    schema: AcmeInboundEventSchema,
    streamIdOf: (event) => event.streamId,
    toFrames(event, call) {
      if (event.event === 'media') return call.audioFromBase64(event.media.payload);
      if (event.event === 'dtmf') return call.dtmf(event.digit);
      if (event.event === 'mark') return checkpointReachedFrame(event.name);
      return undefined; // start and stop: the server opens and closes the call
    },
  },
  outbound: ({ streamId }) => ({
    media: (bytes) =>
      JSON.stringify({ event: 'media', streamId, media: { payload: bytes.toString('base64') } }),
    clear: () => JSON.stringify({ event: 'clear', streamId }),
    checkpoint: (name) => JSON.stringify({ event: 'mark', streamId, name }),
  }),
});
