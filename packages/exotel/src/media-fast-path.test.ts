import { createCallwireContainer, createWireSerializer, registerCarrier, startFrame } from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describeMediaFastPath } from '@callwire/testing/vitest';
import fc from 'fast-check';
import { exotel } from './carrier.js';
import { ExotelInboundEventSchema } from './events.js';
import { exotelMediaFastPath } from './media-fast-path.js';

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
    stream_sid: fc.string({ minLength: 1, maxLength: 40 }),
    media: fc.record(
      {
        chunk: counter,
        timestamp: counter,
        payload: fc.base64String({ minLength: 4, maxLength: 400 }),
      },
      { requiredKeys: ['payload'] },
    ),
  },
  { requiredKeys: ['event', 'media'] },
);

describeMediaFastPath({
  name: 'exotelMediaFastPath',
  fastPath: exotelMediaFastPath,
  schema: ExotelInboundEventSchema,
  mediaMessages: mediaMessage,
  fields: [
    ['event'],
    ['sequence_number'],
    ['stream_sid'],
    ['media'],
    ['unknown'],
    ['media', 'chunk'],
    ['media', 'timestamp'],
    ['media', 'payload'],
    ['media', 'unknown'],
  ],
  refused: [
    ['a boolean sequence_number', { sequence_number: true }],
    ['an infinite sequence_number', { sequence_number: Number.NEGATIVE_INFINITY }],
    ['a numeric stream_sid', { stream_sid: 5 }],
    ['an empty stream_sid', { stream_sid: '' }],
    ['an empty payload', { media: { payload: '' } }],
    ['a null chunk', { media: { chunk: null, payload: 'AAAA' } }],
    ['an infinite timestamp', { media: { timestamp: Number.POSITIVE_INFINITY, payload: 'AAAA' } }],
    ['a numeric payload', { media: { payload: 1 } }],
    ['an array as media', { media: [] }],
  ],
  serializer: {
    async create() {
      const container = createCallwireContainer({ logger: recordingLogger() });
      registerCarrier(container, exotel, {});
      const serializer = createWireSerializer(container, 'exotel', {
        streamId: 'MZ1',
        params: { autoHangUp: false },
      });
      serializer.setup(startFrame({ audioInSampleRate: 8000 }));
      return serializer;
    },
    media: JSON.stringify({ event: 'media', stream_sid: 'MZ1', media: { payload: '//8A' } }),
    other: JSON.stringify({ event: 'mark', mark: { name: 'm1' } }),
    otherFrame: { type: 'checkpoint-reached', name: 'm1' },
  },
});
