import {
  checkpointFrame,
  createCallwireContainer,
  type Frame,
  interruptionFrame,
  type Logger,
  outputAudioFrame,
  registerCarrier,
} from '@callwire/core';
import { plivo } from '@callwire/plivo';
import { type Call, type CallHandler, type CallServer, createCallServer } from '@callwire/server';
import { afterEach, describe, expect, it } from 'vitest';
import { jambonz } from './carrier.js';
import { JAMBONZ_SUBPROTOCOL, startFakeJambonz } from './testing/fake-jambonz.js';
import { WS_AUTH } from './testing/harness.js';

// Full calls: a fake jambonz (real `ws` socket, the audio.jambonz.org subprotocol, real-time 20 ms
// media and playout, marks as mod_audio_fork handles them) against createCallServer with Plivo also
// registered, so detection has to tell them apart.

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let server: CallServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: CallHandler, pipelineSampleRate = 16000): Promise<string> {
  const container = createCallwireContainer({ logger: quiet });
  registerCarrier(container, plivo, {});
  registerCarrier(container, jambonz, { wsUsername: WS_AUTH.username, wsPassword: WS_AUTH.password });
  server = createCallServer({ container, logger: quiet, pipelineSampleRate, handler });
  const port = await server.listen(0, '127.0.0.1');
  return `ws://127.0.0.1:${port}/stream`;
}

/** A ramp that survives resampling recognisably: a 300 Hz tone at a quarter of full scale. */
function tone(sampleRate: number, durationMs: number): Int16Array {
  return Int16Array.from({ length: (sampleRate * durationMs) / 1000 }, (_, index) =>
    Math.round(8000 * Math.sin((2 * Math.PI * 300 * index) / sampleRate)),
  );
}

function rms(pcm: Int16Array): number {
  let sum = 0;
  for (const sample of pcm) sum += sample * sample;
  return Math.sqrt(sum / Math.max(1, pcm.length));
}

describe('a jambonz listen stream through @callwire/server', () => {
  it('agrees to the audio.jambonz.org subprotocol, hands call.info over, and streams both ways at real pace', async () => {
    let seen: Call | undefined;
    const inbound: Frame[] = [];
    const url = await serve(async (call) => {
      seen = call;
      for await (const frame of call.frames) {
        inbound.push(frame);
        if (frame.type === 'input-dtmf' && frame.digit === '5') {
          await call.send(outputAudioFrame(tone(16000, 200), 16000));
          await call.send(checkpointFrame('reply-done'));
        }
        if (frame.type === 'checkpoint-reached' && frame.name === 'reply-done') await call.hangUp();
      }
    });
    const fake = startFakeJambonz({
      wsAuth: WS_AUTH,
      url,
      sampleRate: 8000,
      from: '+15085551212',
      to: '+15083730299',
      customerData: { tenant: 'acme' },
      metadata: { botId: 'support' },
      audio: tone(8000, 300),
      dtmf: [{ digit: '5', atMs: 200 }],
    });
    const summary = await fake.done;

    expect(summary.protocol).toBe(JAMBONZ_SUBPROTOCOL);
    expect(seen?.carrier).toBe('jambonz');
    expect(seen?.callId).toBe(fake.callSid);
    expect(seen?.info).toMatchObject({
      from: '+15085551212',
      to: '+15083730299',
      direction: 'inbound',
      customParameters: { tenant: 'acme', botId: 'support' },
    });
    expect(seen?.info.raw).toMatchObject({ sampleRate: 8000, mixType: 'mono', callSid: fake.callSid });
    // 300 ms of caller audio at 8 kHz arrives as 4800 samples at the 16 kHz pipeline rate.
    const audio = inbound.flatMap((frame) => (frame.type === 'input-audio' ? [frame] : []));
    expect(audio.every((frame) => frame.sampleRate === 16000)).toBe(true);
    expect(audio.reduce((sum, frame) => sum + frame.audio.length, 0)).toBe(4800);
    expect(inbound).toContainEqual({ type: 'input-dtmf', digit: '5' });
    // 200 ms at 16 kHz played back at 8 kHz (bidirectionalAudio.sampleRate = sampleRate): 1600 samples.
    expect(summary.played.length).toBe(1600);
    expect(rms(summary.played.subarray(200, 1400))).toBeGreaterThan(4000);
    expect(summary.marksPlayed).toEqual(['reply-done']);
    expect(summary.disconnected).toBe(true);
    expect(summary.closedBy).toBe('jambonz');
    expect(summary.problems).toEqual([]);
  }, 10_000);

  it('sends killAudio on interruption: the marks pending are answered cleared and never reach the handler', async () => {
    const reached: string[] = [];
    let interrupted = false;
    const url = await serve(async (call) => {
      for await (const frame of call.frames) {
        if (frame.type === 'input-dtmf' && frame.digit === '1') {
          await call.send(outputAudioFrame(tone(16000, 2000), 16000));
          await call.send(checkpointFrame('long-answer'));
          await call.send(outputAudioFrame(tone(16000, 100), 16000));
          await call.send(checkpointFrame('after'));
        }
        if (frame.type === 'input-dtmf' && frame.digit === '2') {
          interrupted = true;
          await call.send(interruptionFrame());
          await call.send(outputAudioFrame(tone(16000, 100), 16000));
          await call.send(checkpointFrame('short-answer'));
        }
        if (frame.type === 'checkpoint-reached') {
          reached.push(frame.name);
          if (frame.name === 'short-answer') await call.hangUp();
        }
      }
    });
    const fake = startFakeJambonz({
      wsAuth: WS_AUTH,
      url,
      sampleRate: 16000,
      audio: tone(16000, 100),
      dtmf: [
        { digit: '1', atMs: 0 },
        { digit: '2', atMs: 400 },
      ],
    });
    const summary = await fake.done;
    expect(interrupted).toBe(true);
    expect(summary.killAudio).toBe(1);
    expect(summary.marksCleared).toEqual(['long-answer', 'after']);
    expect(summary.marksPlayed).toEqual(['short-answer']);
    expect(reached).toEqual(['short-answer']);
    // Far less than the 2 s answer played before the interruption cut it (then 100 ms more).
    expect(summary.played.length).toBeLessThan(16000);
    expect(summary.problems).toEqual([]);
  }, 10_000);

  it('ends the call when jambonz hangs up (the caller left): the handler sees end', async () => {
    const ends: string[] = [];
    let closedReason: string | undefined;
    const url = await serve(async (call) => {
      for await (const frame of call.frames) if (frame.type === 'end') ends.push('end');
      closedReason = (await call.closed).reason;
    });
    const fake = startFakeJambonz({ wsAuth: WS_AUTH, url, audio: tone(8000, 100), realTime: false });
    await new Promise((resolve) => setTimeout(resolve, 100));
    fake.hangUp();
    const summary = await fake.done;
    expect(summary.closedBy).toBe('jambonz');
    expect(summary.disconnected).toBe(false);
    for (let waitedMs = 0; closedReason === undefined && waitedMs < 3000; waitedMs += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(ends).toEqual(['end']);
    expect(closedReason).toBe('remote-closed');
  });

  it('keeps the caller, the first channel, of a stereo stream', async () => {
    const levels: number[] = [];
    const url = await serve(async (call) => {
      for await (const frame of call.frames) if (frame.type === 'input-audio') levels.push(rms(frame.audio));
    }, 8000);
    // Left: the caller's tone; right: silence. Interleaved, 100 ms at 8 kHz.
    const left = tone(8000, 100);
    const stereo = new Int16Array(left.length * 2);
    left.forEach((sample, index) => {
      stereo[2 * index] = sample;
    });
    const fake = startFakeJambonz({
      wsAuth: WS_AUTH,
      url,
      mixType: 'stereo',
      audio: stereo,
      realTime: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    fake.hangUp();
    await fake.done;
    expect(levels).toHaveLength(5);
    for (const level of levels) expect(level).toBeGreaterThan(5000);
  });
});
