import { describe, expect, it } from 'vitest';
import { withCallAudio } from './session-config.js';

describe('withCallAudio', () => {
  it("sets the GA formats and keeps the rest of the user's audio config", () => {
    const config = withCallAudio(
      {
        instructions: 'hi',
        audio: { output: { voice: 'marin', format: { type: 'audio/pcm', rate: 24000 } } },
      },
      'pcmu',
    );
    expect(config).toEqual({
      instructions: 'hi',
      audio: {
        input: { format: { type: 'audio/pcmu' } },
        output: { voice: 'marin', format: { type: 'audio/pcmu' } },
      },
    });
  });
  it('keeps a deprecated config deprecated', () => {
    expect(withCallAudio({ voice: 'marin', inputAudioFormat: 'pcm16' }, 'pcmu')).toEqual({
      voice: 'marin',
      inputAudioFormat: 'g711_ulaw',
      outputAudioFormat: 'g711_ulaw',
    });
  });
});
