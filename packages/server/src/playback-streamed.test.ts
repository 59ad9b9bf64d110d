// A streamed item (a model's response, played chunk by chunk with one id) on a carrier whose marks
// flush audio its serializer held back (Exotel's chunks, Vonage's frames): each mark cuts the stream
// there (a padded chunk: silence the caller hears), so the item gets one end mark, not one per chunk.
import { describe, expect, it } from 'vitest';
import { playbackOnCarrier } from './test-support/playback-carrier.js';

const RATE = 16_000;
const chunk = (ms: number) => new Int16Array((RATE * ms) / 1000).fill(1000);

/** A carrier whose marks flush what its framer held: two messages. */
const framedCarrier = () =>
  playbackOnCarrier(RATE, { messagesFor: (frame) => (frame.type === 'checkpoint' ? 2 : 1) });

describe('a streamed item on a carrier whose marks flush held-back audio', () => {
  it('marks the end once when the chunks arrive in a burst', async () => {
    const { playback, marks, flush } = framedCarrier();
    playback.play(chunk(50), { id: 'warm-up' });
    await flush();
    expect(marks()).toHaveLength(1);
    for (let index = 0; index < 20; index += 1) playback.play(chunk(50), { id: 'response' });
    await flush();
    // The queue holds more than the margin: the one end mark waits for more of the item.
    expect(marks()).toHaveLength(1);
    const cut = await playback.interrupt();
    // Nothing was acknowledged (this carrier never answers marks): both items were still queued.
    expect(cut.items.map((item) => item.id)).toEqual(['warm-up', 'response']);
    // The clear dropped what the mark would have flushed: no mark after it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await flush();
    expect(marks()).toHaveLength(1);
  });

  it('sends a waiting end mark before the audio of another item', async () => {
    const { playback, kinds, flush } = framedCarrier();
    playback.play(chunk(50), { id: 'warm-up' });
    playback.play(chunk(400), { id: 'first' });
    await flush();
    // The first item's end mark waits (400 ms queued): its audio is the last thing sent.
    expect(kinds().at(-1)).toBe('audio');
    const before = kinds().length;
    playback.play(chunk(50), { id: 'second' });
    await flush();
    // It went out before the second item's audio; the second item's end mark waits in turn.
    expect(kinds().slice(before)).toEqual(['mark', 'audio']);
    playback.close();
  });
});
