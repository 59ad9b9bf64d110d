import { randomUUID } from 'node:crypto';
import type { WireMessage } from '@callwire/core';
import type { CarrierHarness } from '@callwire/testing';
import WebSocket from 'ws';
import { type ConnectLoadCall, FRAMES_PER_SECOND, type LoadCall } from './load-call.js';
import { tokenisedStreamUrl } from './stream-token.js';

/** 20 ms of a 440 Hz tone at `sampleRate`: every frame's audio (the echo bot does not care). */
function toneFrame(sampleRate: number): Int16Array {
  const pcm = new Int16Array(sampleRate / FRAMES_PER_SECOND);
  for (let i = 0; i < pcm.length; i++)
    pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  return pcm;
}

/**
 * A minimal media-stream client for the load test (`--client lean`), built from `harness`: sends its
 * opening, then one prebuilt media message per paced frame, acknowledges checkpoints and clears the way
 * the carrier does, and matches returned audio to sent frames by sample count.
 */
export function leanCall(harness: CarrierHarness<unknown, unknown>): ConnectLoadCall {
  const frameSamples = harness.wireSampleRate / FRAMES_PER_SECOND;
  const frame = toneFrame(harness.wireSampleRate);
  return async (url) => {
    const info = harness.call({
      callId: randomUUID(),
      streamId: randomUUID(),
      sampleRate: harness.wireSampleRate,
      autoHangUp: false,
    });
    const media = harness.wire.media(info, frame);
    const ws = new WebSocket(tokenisedStreamUrl(url, harness.plugin.name, info.callId ?? ''), {
      perMessageDeflate: false,
      skipUTF8Validation: true,
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('error', () => {});
    for (const message of harness.wire.start?.(info) ?? []) ws.send(message);

    let sendTimes = new Float64Array(0);
    let sent = 0;
    let returned = 0;
    let receivedSamples = 0;
    let onTurnaround: (frameIndex: number, ms: number) => void = () => {};
    ws.on('message', (data: Buffer, isBinary) => {
      const now = performance.now();
      const message: WireMessage = isBinary ? new Uint8Array(data) : data.toString('utf8');
      const samples = harness.read.audio(message)?.length ?? 0;
      if (samples > 0) {
        receivedSamples += samples;
        // Frame k is back once more than k frames' worth of audio came back (the resamplers'
        // delay is well under one frame).
        while (returned < sent && receivedSamples > returned * frameSamples) {
          onTurnaround(returned, now - (sendTimes[returned] ?? now));
          returned++;
        }
        return;
      }
      const checkpoint = harness.read.checkpointName?.(message);
      if (checkpoint !== undefined && harness.wire.checkpointReached) {
        ws.send(harness.wire.checkpointReached(info, checkpoint));
      } else if (harness.read.isClear(message) && harness.wire.cleared) {
        ws.send(harness.wire.cleared(info));
      }
    });
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));

    const call: LoadCall = {
      prepare(frameCount, callback) {
        sendTimes = new Float64Array(frameCount);
        onTurnaround = callback;
      },
      sendFrame() {
        if (ws.readyState !== WebSocket.OPEN || sent >= sendTimes.length) return false;
        sendTimes[sent] = performance.now();
        sent++;
        ws.send(media);
        return true;
      },
      result: () => ({ sent, returned }),
      async close() {
        if (ws.readyState === WebSocket.CLOSED) return;
        const stop = harness.wire.stop?.(info);
        if (stop !== undefined) ws.send(stop);
        ws.close(1000, 'load test done');
        const timedOut = await Promise.race([
          closed.then(() => false),
          new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 2000).unref()),
        ]);
        if (timedOut) ws.terminate();
      },
    };
    return call;
  };
}
