import {
  createCallwireContainer,
  createWireSerializer,
  type Logger,
  registerCarrier,
  startFrame,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import { exotel } from './carrier.js';

// The media payload is checked as standard padded base64 while it is decoded, not by the schema.

const STREAM = 'MZ0123456789abcdef0123456789abcd';

function newCall() {
  const warnings: string[] = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (fields, message) => warnings.push(String(message ?? fields)),
    error: () => {},
  };
  const container = createCallwireContainer({ logger });
  registerCarrier(container, exotel, {});
  const serializer = createWireSerializer(container, 'exotel', {
    streamId: STREAM,
    callId: 'CA1',
    params: {},
  });
  serializer.setup(startFrame({ audioInSampleRate: 8000 }));
  return { serializer, warnings };
}

const media = (payload: string) => JSON.stringify({ event: 'media', stream_sid: STREAM, media: { payload } });

describe('Exotel media payload base64', () => {
  it.each([
    ['unpadded', 'AAAAAA'],
    ['URL-safe', '-_-_'],
    ['with whitespace, length a multiple of 4', 'AAA AAAA'],
    ['padding in the middle', 'AAAA====AAAA'],
    ['not base64', '!!!not base64!!!'],
  ])('drops a %s payload with one warning, then decodes valid media', (_, payload) => {
    const { serializer, warnings } = newCall();
    for (let i = 0; i < 3; i++) expect(serializer.deserialize(media(payload))).toEqual([]);
    expect(warnings).toEqual(['[exotel] ignoring a media payload that is not standard padded base64']);
    const pcm = Int16Array.from({ length: 160 }, (_, i) => i * 100 - 8000);
    const [frame] = serializer.deserialize(media(Buffer.from(pcm.buffer).toString('base64')));
    expect(frame?.type === 'input-audio' && frame.audio).toEqual(pcm);
  });
});
