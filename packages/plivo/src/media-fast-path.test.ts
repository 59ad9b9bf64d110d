import { createCallwireContainer, createWireSerializer, registerCarrier, startFrame } from '@callwire/core';
import { recordingLogger } from '@callwire/testing';
import { describeMediaFastPath } from '@callwire/testing/vitest';
import fc from 'fast-check';
import { plivo } from './carrier.js';
import { PlivoInboundEventSchema } from './events.js';
import { plivoMediaFastPath } from './media-fast-path.js';

// The fast path must accept a strict subset of what the schema accepts and give exactly what the
// schema gives for it, so validation stays complete (the checks live in @callwire/testing).

const mediaMessage = fc.record(
  {
    event: fc.constant('media'),
    sequenceNumber: fc.nat(),
    streamId: fc.string({ minLength: 1, maxLength: 40 }),
    media: fc.record(
      {
        track: fc.constantFrom('inbound', 'outbound', ''),
        timestamp: fc.oneof(
          fc.string({ maxLength: 16 }),
          fc.integer(),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        chunk: fc.integer(),
        payload: fc.base64String({ maxLength: 400 }),
      },
      { requiredKeys: ['payload'] },
    ),
    extra_headers: fc.string({ maxLength: 40 }),
  },
  { requiredKeys: ['event', 'media'] },
);

describeMediaFastPath({
  name: 'plivoMediaFastPath',
  fastPath: plivoMediaFastPath,
  schema: PlivoInboundEventSchema,
  mediaMessages: mediaMessage,
  fields: [
    ['event'],
    ['sequenceNumber'],
    ['streamId'],
    ['media'],
    ['extra_headers'],
    ['unknown'],
    ['media', 'track'],
    ['media', 'timestamp'],
    ['media', 'chunk'],
    ['media', 'payload'],
    ['media', 'unknown'],
  ],
  refused: [
    ['a string sequenceNumber', { sequenceNumber: '7' }],
    ['a negative sequenceNumber', { sequenceNumber: -1 }],
    ['an empty streamId', { streamId: '' }],
    ['a fractional chunk', { media: { chunk: 1.5, payload: 'AAAA' } }],
    ['an unsafe chunk', { media: { chunk: 2 ** 53, payload: 'AAAA' } }],
    ['an infinite timestamp', { media: { timestamp: Number.POSITIVE_INFINITY, payload: 'AAAA' } }],
    ['a numeric track', { media: { track: 1, payload: 'AAAA' } }],
    ['no payload', { media: {} }],
    ['an array as media', { media: [] }],
    ['numeric extra_headers', { extra_headers: 1 }],
  ],
  serializer: {
    async create() {
      const container = createCallwireContainer({ logger: recordingLogger() });
      registerCarrier(container, plivo, { authId: 'MAXXXXXXXXXXXXXXXXXX', authToken: 'token-0123456789' });
      const serializer = createWireSerializer(container, 'plivo', {
        streamId: 's1',
        params: { autoHangUp: false },
      });
      serializer.setup(startFrame({ audioInSampleRate: 8000 }));
      return serializer;
    },
    media: JSON.stringify({ event: 'media', streamId: 's1', media: { track: 'inbound', payload: '//8A' } }),
    other: JSON.stringify({ event: 'dtmf', dtmf: { digit: '5' } }),
    otherFrame: { type: 'input-dtmf', digit: '5' },
  },
});
