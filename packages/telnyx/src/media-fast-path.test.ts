import { createCallwireContainer, createWireSerializer, registerCarrier, startFrame } from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describeMediaFastPath } from '@callwire/testing/vitest';
import fc from 'fast-check';
import { telnyx } from './carrier.js';
import { TelnyxInboundEventSchema } from './events.js';
import { telnyxMediaFastPath } from './media-fast-path.js';

// The fast path must accept a strict subset of what the schema accepts and give exactly what the
// schema gives for it, so validation stays complete (the checks live in @callwire/testing).

const counter = fc.oneof(
  fc.nat().map(String),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const mediaMessage = fc.record(
  {
    event: fc.constant('media'),
    sequence_number: counter,
    stream_id: fc.string({ maxLength: 40 }),
    media: fc.record(
      {
        track: fc.constantFrom('inbound', 'outbound', 'inbound_track', ''),
        chunk: counter,
        timestamp: counter,
        payload: fc.base64String({ maxLength: 400 }),
      },
      { requiredKeys: ['payload'] },
    ),
  },
  { requiredKeys: ['event', 'media'] },
);

describeMediaFastPath({
  name: 'telnyxMediaFastPath',
  fastPath: telnyxMediaFastPath,
  schema: TelnyxInboundEventSchema,
  mediaMessages: mediaMessage,
  fields: [
    ['event'],
    ['sequence_number'],
    ['stream_id'],
    ['media'],
    ['unknown'],
    ['media', 'track'],
    ['media', 'chunk'],
    ['media', 'timestamp'],
    ['media', 'payload'],
    ['media', 'unknown'],
  ],
  refused: [
    ['a boolean sequence_number', { sequence_number: true }],
    ['an infinite sequence_number', { sequence_number: Number.NEGATIVE_INFINITY }],
    ['a numeric stream_id', { stream_id: 5 }],
    ['a null chunk', { media: { chunk: null, payload: 'AAAA' } }],
    ['an infinite timestamp', { media: { timestamp: Number.POSITIVE_INFINITY, payload: 'AAAA' } }],
    ['a numeric track', { media: { track: 1, payload: 'AAAA' } }],
    ['a numeric payload', { media: { payload: 1 } }],
    ['an array as media', { media: [] }],
  ],
  serializer: {
    async create() {
      const container = createCallwireContainer({ logger: recordingLogger() });
      registerCarrier(container, telnyx, { apiKey: 'KEY0123456789' });
      const serializer = createWireSerializer(container, 'telnyx', {
        streamId: 'MZ1',
        params: { autoHangUp: false },
      });
      serializer.setup(startFrame({ audioInSampleRate: 8000 }));
      return serializer;
    },
    media: JSON.stringify({ event: 'media', stream_id: 'MZ1', media: { track: 'inbound', payload: '//8A' } }),
    other: JSON.stringify({ event: 'mark', mark: { name: 'm1' } }),
    otherFrame: { type: 'checkpoint-reached', name: 'm1' },
  },
});
