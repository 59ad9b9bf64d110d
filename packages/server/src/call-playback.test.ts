import { checkpointFrame, type Frame, interruptionFrame } from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { InterruptResult, PlayedResult } from './playback.js';
import { PLAYBACK_MARK_PREFIX } from './playback.js';
import { connectClient } from './test-support/client.js';
import { closeStartedServers, start } from './test-support/server-harness.js';

afterEach(closeStartedServers);

/** The names of the toy checkpoints in `messages`. */
function markNames(messages: readonly (string | Buffer)[]): string[] {
  return messages.flatMap((message) => {
    if (typeof message !== 'string') return [];
    const parsed = JSON.parse(message) as { toy?: string; name?: string };
    return parsed.toy === 'checkpoint' && parsed.name !== undefined ? [parsed.name] : [];
  });
}

describe('call.play over a real socket', () => {
  it("sends audio and marks in order, resolves played on the carrier's acknowledgement, and keeps its marks out of call.frames", async () => {
    let played: PlayedResult | undefined;
    const seen: Frame[] = [];
    const { port } = await start(async (call) => {
      const handle = call.play(new Int16Array(16_000 * 0.25), { id: 'hello' });
      await call.send(checkpointFrame('mine'));
      played = await handle.played;
      for await (const frame of call.frames) {
        seen.push(frame);
        if (frame.type === 'checkpoint-reached') return;
      }
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    await client.waitFor((message) => message === '{"toy":"checkpoint","name":"mine"}');
    const kinds = client.received.map((message) =>
      typeof message === 'string' ? (JSON.parse(message) as { name: string }).name : message.length,
    );
    const marks = markNames(client.received).filter((name) => name.startsWith(PLAYBACK_MARK_PREFIX));
    // 250 ms at 16 kHz: slices of 100, 100 and 50 ms (bytes), each followed by a playback mark.
    expect(kinds).toEqual([3200, marks[0], 3200, marks[1], 1600, marks[2], 'mine']);
    for (const name of [...marks, 'mine']) client.send({ toy: 'played', name });
    expect((await client.closed).code).toBe(1000);
    expect(played).toEqual({ heardMs: 250, exact: true });
    expect(seen).toEqual([{ type: 'checkpoint-reached', name: 'mine' }]);
  });

  it("interrupt() sends the carrier's clear and reports the heard part of each queued item", async () => {
    let result: InterruptResult | undefined;
    const results: PlayedResult[] = [];
    const { port } = await start(async (call) => {
      const first = call.play(new Int16Array(16_000), { id: 'long' });
      const second = call.play(new Int16Array(16_000), { id: 'next' });
      for await (const frame of call.frames) {
        if (frame.type === 'input-dtmf') break;
      }
      result = await call.interrupt();
      results.push(await first.played, await second.played);
      await call.send(interruptionFrame());
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    // The caller heard the first 200 ms (two marks acknowledged), then barges in.
    await client.waitFor(() => markNames(client.received).length >= 2);
    for (const name of markNames(client.received).slice(0, 2)) client.send({ toy: 'played', name });
    client.send({ toy: 'dtmf', digit: '5' });
    await client.closed;
    expect(client.received.filter((message) => message === '{"toy":"clear"}')).toHaveLength(2);
    const heard = result?.items[0]?.heardMs ?? -1;
    // Between the last acknowledged mark and the next one, whatever the scheduler did meanwhile.
    expect(heard).toBeGreaterThanOrEqual(200);
    expect(heard).toBeLessThanOrEqual(300);
    expect(result).toEqual({
      items: [
        { id: 'long', heardMs: heard },
        { id: 'next', heardMs: 0 },
      ],
      exact: true,
    });
    expect(results).toEqual([
      { heardMs: heard, exact: true },
      { heardMs: 0, exact: true },
    ]);
  });

  it('settles what is queued when the caller hangs up', async () => {
    const results: PlayedResult[] = [];
    let playedMs = -1;
    const { port, calls } = await start(async (call) => {
      const handle = call.play(new Int16Array(16_000 * 5));
      results.push(await handle.played);
      playedMs = call.playedMs;
    });
    const client = await connectClient(port);
    client.send({ toy: 'start', streamId: 's', callId: 'c' });
    await client.waitFor((message) => markNames([message]).length === 1);
    client.send({ toy: 'stop' });
    await calls[0]?.closed;
    await client.closed;
    expect(results).toHaveLength(1);
    expect(results[0]?.exact).toBe(false);
    expect(results[0]?.heardMs).toBeLessThan(5000);
    expect(playedMs).toBe(results[0]?.heardMs);
  });
});
