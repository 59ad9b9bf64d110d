import { outputAudioFrame } from '@callwire/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PLAYBACK_MARK_PREFIX } from './playback.js';
import { type FakePlaybackCarrier, playbackOnCarrier } from './test-support/playback-carrier.js';

const RATE = 16_000;

/** `ms` of silence at the pipeline rate. */
function audio(ms: number): Int16Array {
  return new Int16Array((RATE * ms) / 1000);
}

/** A playback layer at `RATE` on a fake carrier (see `playbackOnCarrier`). */
const setUp = (carrier?: FakePlaybackCarrier) => playbackOnCarrier(RATE, carrier);

/** A promise's value if it has already settled, else `'pending'` (the settled one wins the race). */
async function peek<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, Promise.resolve('pending' as const)]);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('call.play on a carrier that acknowledges marks', () => {
  it('sends the audio in slices of at most 100 ms, each followed by a mark with the reserved prefix', async () => {
    const { playback, sent, flush } = setUp();
    playback.play(audio(250), { id: 'greeting' });
    await flush();
    expect(sent.map((frame) => (frame.type === 'output-audio' ? frame.audio.length : frame.type))).toEqual([
      1600,
      'checkpoint',
      1600,
      'checkpoint',
      800,
      'checkpoint',
    ]);
    for (const frame of sent) {
      if (frame.type === 'checkpoint') expect(frame.name.startsWith(PLAYBACK_MARK_PREFIX)).toBe(true);
    }
  });

  it('resolves played, exactly, when the carrier acknowledges the mark after the last sample', async () => {
    const { playback, flush, ack } = setUp();
    const handle = playback.play(audio(250), { id: 'greeting' });
    await flush();
    expect(handle.id).toBe('greeting');
    ack(0);
    ack(1);
    expect(await peek(handle.played)).toBe('pending');
    ack(2);
    expect(await handle.played).toEqual({ heardMs: 250, exact: true });
  });

  it('reports what was heard on interrupt: the last acknowledgement plus the wall time since, per item', async () => {
    const { playback, sent, flush, ack } = setUp();
    const first = playback.play(audio(250), { id: 'a' });
    const second = playback.play(audio(300), { id: 'b' });
    await flush();
    vi.advanceTimersByTime(100);
    ack(0);
    vi.advanceTimersByTime(30);
    expect(playback.playedMs).toBe(130);
    const result = await playback.interrupt();
    expect(result).toEqual({
      items: [
        { id: 'a', heardMs: 130 },
        { id: 'b', heardMs: 0 },
      ],
      exact: true,
    });
    expect(await first.played).toEqual({ heardMs: 130, exact: true });
    expect(await second.played).toEqual({ heardMs: 0, exact: true });
    expect(sent.at(-1)).toEqual({ type: 'interruption' });
  });

  it('never reports more than the next unacknowledged mark (the carrier may be behind the clock)', async () => {
    const { playback, flush, ack } = setUp();
    playback.play(audio(400));
    await flush();
    vi.advanceTimersByTime(100);
    ack(0);
    vi.advanceTimersByTime(250);
    expect(playback.playedMs).toBe(200);
    ack(1);
    expect(playback.playedMs).toBe(200);
    vi.advanceTimersByTime(40);
    expect(playback.playedMs).toBe(240);
  });

  it('reports an item played in several calls with one id once, with the heard parts summed', async () => {
    const { playback, flush, ack, marks } = setUp();
    const parts = [playback.play(audio(100), { id: 'r1' }), playback.play(audio(100), { id: 'r1' })];
    playback.play(audio(100), { id: 'r2' });
    await flush();
    vi.advanceTimersByTime(100);
    ack(0);
    expect(await parts[0]?.played).toEqual({ heardMs: 100, exact: true });
    vi.advanceTimersByTime(50);
    expect(marks()).toHaveLength(3);
    expect(await playback.interrupt()).toEqual({
      items: [
        { id: 'r1', heardMs: 150 },
        { id: 'r2', heardMs: 0 },
      ],
      exact: true,
    });
    expect(await parts[1]?.played).toEqual({ heardMs: 50, exact: true });
  });

  it('ignores acknowledgements of marks an interruption dropped, and restarts the clock after it', async () => {
    const { playback, flush, ack } = setUp();
    playback.play(audio(500));
    await flush();
    vi.advanceTimersByTime(100);
    ack(0);
    vi.advanceTimersByTime(20);
    await playback.interrupt();
    // Some carriers acknowledge every pending mark on a clear.
    ack(1);
    ack(4);
    expect(playback.playedMs).toBe(120);
    vi.advanceTimersByTime(1000);
    expect(playback.playedMs).toBe(120);
    const next = playback.play(audio(100), { id: 'next' });
    await flush();
    vi.advanceTimersByTime(60);
    expect(playback.playedMs).toBe(180);
    ack(5);
    expect(await next.played).toEqual({ heardMs: 100, exact: true });
    expect(playback.playedMs).toBe(220);
  });

  it('starts the clock again when new audio comes after the carrier went idle', async () => {
    const { playback, flush, ack } = setUp();
    playback.play(audio(100));
    await flush();
    vi.advanceTimersByTime(100);
    ack(0);
    vi.advanceTimersByTime(5000);
    expect(playback.playedMs).toBe(100);
    playback.play(audio(100));
    await flush();
    vi.advanceTimersByTime(40);
    expect(playback.playedMs).toBe(140);
  });

  it('counts audio sent with call.send on the same timeline', async () => {
    const { playback, flush, ack } = setUp();
    playback.sentOutside(outputAudioFrame(audio(200), RATE));
    const handle = playback.play(audio(100));
    await flush();
    vi.advanceTimersByTime(300);
    ack(0);
    expect(await handle.played).toEqual({ heardMs: 100, exact: true });
    expect(playback.playedMs).toBe(300);
  });

  it('falls back to the wall-clock estimate when acknowledgements stop coming', async () => {
    const { playback, flush } = setUp();
    const handle = playback.play(audio(200));
    await flush();
    vi.advanceTimersByTime(200 + 999);
    expect(await peek(handle.played)).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(await handle.played).toEqual({ heardMs: 200, exact: false });
  });

  it('settles everything with what was heard when the call ends, and sends nothing after', async () => {
    const { playback, sent, flush, ack, end } = setUp();
    const handle = playback.play(audio(300));
    await flush();
    vi.advanceTimersByTime(100);
    ack(0);
    vi.advanceTimersByTime(10);
    end();
    expect(await handle.played).toEqual({ heardMs: 110, exact: true });
    const count = sent.length;
    const late = playback.play(audio(100));
    expect(await late.played).toEqual({ heardMs: 0, exact: false });
    expect(await playback.interrupt()).toEqual({ items: [], exact: false });
    expect(sent).toHaveLength(count);
    vi.advanceTimersByTime(1000);
    expect(playback.playedMs).toBe(110);
  });

  it('takes an output-audio frame at any rate and refuses anything else', async () => {
    const { playback, sent, flush } = setUp();
    playback.play(outputAudioFrame(new Int16Array(8000 * 0.15), 8000));
    await flush();
    expect(
      sent
        .filter((frame) => frame.type === 'output-audio')
        .map((frame) => frame.type === 'output-audio' && frame.sampleRate),
    ).toEqual([8000, 8000]);
    expect(() => playback.play({ type: 'interruption' } as never)).toThrow(
      /Int16Array or an output-audio frame/,
    );
  });
});

describe('call.play on a carrier that holds audio back until a mark', () => {
  it('marks only at the end of each item once a mark brought held-back audio with it', async () => {
    // A mark flushes what the carrier's framer held: two messages.
    const { playback, kinds, flush } = setUp({
      messagesFor: (frame) => (frame.type === 'checkpoint' ? 2 : 1),
    });
    playback.play(audio(300));
    playback.play(audio(300));
    await flush();
    // The first mark (after 100 ms) shows the carrier holds audio back; after it, only item ends. The
    // last item's end mark waits while the carrier has more than 300 ms queued (more of it may follow).
    expect(kinds()).toEqual(['audio', 'mark', 'audio', 'audio', 'mark', 'audio', 'audio', 'audio']);
    await vi.advanceTimersByTimeAsync(400);
    await flush();
    expect(kinds()).toEqual(['audio', 'mark', 'audio', 'audio', 'mark', 'audio', 'audio', 'audio', 'mark']);
  });

  it("learns it from a mark inside an item only: an item's end may leave any framer a partial chunk", async () => {
    // Like Vonage's 20 ms frames: a mark after 50 ms brings the held 10 ms; one after whole slices does not.
    const { playback, kinds, flush } = setUp({
      messagesFor: (frame, sent) => {
        if (frame.type !== 'checkpoint') return 1;
        const afterTheShortItem = sent.filter((f) => f.type === 'output-audio').length === 1;
        return afterTheShortItem ? 2 : 1;
      },
    });
    playback.play(audio(50));
    playback.play(audio(200));
    await flush();
    expect(kinds()).toEqual(['audio', 'mark', 'audio', 'mark', 'audio', 'mark']);
  });
});

describe('call.play on a carrier without acknowledgements', () => {
  it('estimates from wall-clock pacing (exact: false) when the carrier cannot mark, and stops asking', async () => {
    const { playback, flush, sent } = setUp({ marks: false });
    const first = playback.play(audio(300), { id: 'a' });
    await flush();
    vi.advanceTimersByTime(170);
    expect(playback.playedMs).toBe(170);
    expect(await playback.interrupt()).toEqual({ items: [{ id: 'a', heardMs: 170 }], exact: false });
    expect(await first.played).toEqual({ heardMs: 170, exact: false });
    expect(sent.filter((frame) => frame.type === 'checkpoint')).toHaveLength(1);
  });

  it('resolves played when the estimate says the audio ended', async () => {
    const { playback, flush } = setUp({ marks: false });
    const handle = playback.play(audio(200));
    await flush();
    vi.advanceTimersByTime(199);
    expect(await peek(handle.played)).toBe('pending');
    vi.advanceTimersByTime(1);
    expect(await handle.played).toEqual({ heardMs: 200, exact: false });
  });

  it('is not exact before the first acknowledgement, even on a carrier that marks', async () => {
    const { playback, flush } = setUp();
    playback.play(audio(300), { id: 'a' });
    await flush();
    vi.advanceTimersByTime(60);
    expect(await playback.interrupt()).toEqual({ items: [{ id: 'a', heardMs: 60 }], exact: false });
  });

  it('reports every queued item as heard, not exact, when the carrier has no clear message', async () => {
    const { playback, flush, logger } = setUp({ clear: false });
    const handle = playback.play(audio(300), { id: 'a' });
    await flush();
    vi.advanceTimersByTime(50);
    expect(await playback.interrupt()).toEqual({ items: [{ id: 'a', heardMs: 300 }], exact: false });
    expect(await handle.played).toEqual({ heardMs: 300, exact: false });
    expect(
      logger.entries.some((line) => line.level === 'warn' && /no clear message/.test(line.message)),
    ).toBe(true);
  });
});
