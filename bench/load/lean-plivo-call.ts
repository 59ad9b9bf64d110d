import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { type ConnectLoadCall, FRAME_BYTES, type LoadCall } from './load-call.js';

// 20 ms of a 440 Hz tone as G.711 mu-law, every frame's payload (the echo bot does not care).
const tonePayload = (() => {
  const bytes = new Uint8Array(FRAME_BYTES);
  for (let i = 0; i < bytes.length; i++) {
    const sample = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000));
    const sign = sample < 0 ? 0x80 : 0;
    const magnitude = Math.min(32635, Math.abs(sample)) + 132;
    let exponent = 7;
    for (let mask = 0x4000; (magnitude & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
    const mantissa = (magnitude >> (exponent + 3)) & 0x0f;
    bytes[i] = ~(sign | (exponent << 4) | mantissa) & 0xff;
  }
  return Buffer.from(bytes).toString('base64');
})();

const PAYLOAD_KEY = Buffer.from('"payload":"');
const QUOTE = 0x22;
const EQUALS = 0x3d;

/**
 * Samples of audio in a `playAudio` message (0 for any other message), read straight from the
 * bytes: the load generator must cost far less than the server it loads.
 */
function playAudioSamples(data: Buffer): number {
  if (data.indexOf('"playAudio"') < 0) return 0;
  const start = data.indexOf(PAYLOAD_KEY);
  if (start < 0) return 0;
  const from = start + PAYLOAD_KEY.length;
  const end = data.indexOf(QUOTE, from);
  if (end < 0) return 0;
  const padding = (data[end - 1] === EQUALS ? 1 : 0) + (data[end - 2] === EQUALS ? 1 : 0);
  const bytes = ((end - from) * 3) / 4 - padding;
  return data.indexOf('audio/x-l16') >= 0 ? bytes / 2 : bytes;
}

/**
 * A minimal Plivo media-stream client for the load test (`--client lean`): sends `start`, then
 * mu-law `media` frames when paced, answers `checkpoint` and `clearAudio`, and matches
 * returned `playAudio` audio to sent frames by sample count.
 */
export const connectLeanPlivoCall: ConnectLoadCall = async (url, index) => {
  const streamId = randomUUID();
  const callId = randomUUID();
  const ws = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('error', () => {});
  let sequenceNumber = 1;
  ws.send(
    JSON.stringify({
      event: 'start',
      sequenceNumber: sequenceNumber++,
      start: {
        callId,
        streamId,
        accountId: 'MA_LOADTEST',
        tracks: ['inbound'],
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000 },
      },
      extra_headers: `loadCall=${index}`,
    }),
  );

  let sendTimes = new Float64Array(0);
  let sent = 0;
  let returned = 0;
  let receivedSamples = 0;
  let onTurnaround: (frameIndex: number, ms: number) => void = () => {};
  ws.on('message', (data: Buffer, isBinary) => {
    const now = performance.now();
    if (isBinary) return;
    const samples = playAudioSamples(data);
    if (samples > 0) {
      receivedSamples += samples;
      // Frame k is back once more than k frames' worth of audio came back (the resamplers'
      // delay is well under one frame).
      while (returned < sent && receivedSamples > returned * FRAME_BYTES) {
        onTurnaround(returned, now - (sendTimes[returned] ?? now));
        returned++;
      }
    } else if (data.indexOf('"checkpoint"') >= 0) {
      const { name } = JSON.parse(String(data)) as { name?: string };
      ws.send(JSON.stringify({ event: 'playedStream', sequenceNumber: sequenceNumber++, streamId, name }));
    } else if (data.indexOf('"clearAudio"') >= 0) {
      ws.send(JSON.stringify({ event: 'clearedAudio', sequenceNumber: sequenceNumber++, streamId }));
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
      ws.send(
        `{"event":"media","sequenceNumber":${sequenceNumber++},"streamId":"${streamId}","media":{"track":"inbound","timestamp":"${Date.now()}","chunk":${sent},"payload":"${tonePayload}"}}`,
      );
      return true;
    },
    result: () => ({ sent, returned }),
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
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
