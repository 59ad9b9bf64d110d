import { createStreamResampler, mulawDecode, mulawEncode } from '@callwire/codec';
import { inputAudioFrame } from '@callwire/core';
import { PlivoInboundEventSchema } from '@callwire/plivo';
import { Bench } from 'tinybench';
import { polyphaseFilter } from '../../packages/codec/dist/polyphase-filter.js';
import { FRAMES_PER_ITERATION } from './carrier-paths.js';
import { cpuClock } from './cpu-clock.js';
import { createSparsePolyphase } from './sparse-polyphase.js';
import { carrierWireSpecs } from './wire-specs.js';

/** One step of Plivo's per-frame paths, timed alone, as a multiple of the inbound floor. */
export interface BreakdownRow {
  readonly step: string;
  readonly usPerFrame: number;
  readonly timesInboundFloor: number;
}

function tone(sampleRate: number, samples: number, offset: number): Int16Array {
  const pcm = new Int16Array(samples);
  for (let i = 0; i < samples; i++)
    pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * (offset + i)) / sampleRate));
  return pcm;
}

/**
 * Times each step of Plivo's inbound and outbound paths alone (50 frames per iteration), next to
 * the floor, and a bench-only sparse-polyphase prototype of the resampler change proposed for
 * the codec: where the time goes, for the report.
 */
export async function runPlivoBreakdown(options: { timeMs?: number } = {}): Promise<BreakdownRow[]> {
  const spec = carrierWireSpecs.plivo!;
  const ids = { callId: 'c', streamId: '87654321-4321-4321-4321-cba987654321' };
  const frames8k = Array.from({ length: FRAMES_PER_ITERATION }, (_, i) => tone(8000, 160, i * 160));
  const frames16k = Array.from({ length: FRAMES_PER_ITERATION }, (_, i) => tone(16000, 320, i * 320));
  const messages = frames8k.map((pcm, i) => spec.media(ids, mulawEncode(pcm), i) as string);
  const parsed = messages.map((message) => JSON.parse(message) as { media: { payload: string } });
  const mulaw = parsed.map((message) => new Uint8Array(Buffer.from(message.media.payload, 'base64')));
  const upDefault = createStreamResampler(8000, 16000);
  const up60 = createStreamResampler(8000, 16000, { attenuationDb: 60 });
  // The codec's default attenuation (not exported): the prototype must run the same filter.
  const defaultDb = 100;
  const taps = (inRate: number, outRate: number, db: number) => polyphaseFilter(inRate, outRate, db).tapCount;
  const upSparse = createSparsePolyphase(polyphaseFilter(8000, 16000, defaultDb));
  const downDefault = createStreamResampler(16000, 8000);
  const down60 = createStreamResampler(16000, 8000, { attenuationDb: 60 });
  const downSparse = createSparsePolyphase(polyphaseFilter(16000, 8000, defaultDb));
  const upsampled = frames16k;
  const downsampled = frames8k;
  const encoded = mulaw;

  const steps: Record<string, () => void> = {
    'floor: JSON.parse + base64 decode': () => {
      for (const message of messages)
        Buffer.from((JSON.parse(message) as { media: { payload: string } }).media.payload, 'base64');
    },
    'JSON.parse': () => {
      for (const message of messages) JSON.parse(message);
    },
    'zod safeParse (PlivoInboundEventSchema)': () => {
      for (const message of parsed) PlivoInboundEventSchema.safeParse(message);
    },
    'base64 decode': () => {
      for (const message of parsed) Buffer.from(message.media.payload, 'base64');
    },
    'mulawDecode 160 B': () => {
      for (const bytes of mulaw) mulawDecode(bytes);
    },
    [`resample 8->16 kHz (codec default, ${defaultDb} dB, ${taps(8000, 16000, defaultDb)} taps)`]: () => {
      for (const pcm of frames8k) upDefault.process(pcm);
    },
    [`resample 8->16 kHz (codec, 60 dB, ${taps(8000, 16000, 60)} taps)`]: () => {
      for (const pcm of frames8k) up60.process(pcm);
    },
    [`resample 8->16 kHz (bench sparse prototype, ${defaultDb} dB, bit-exact)`]: () => {
      for (const pcm of frames8k) upSparse(pcm);
    },
    inputAudioFrame: () => {
      for (const pcm of upsampled) inputAudioFrame(pcm, 16000);
    },
    [`resample 16->8 kHz (codec default, ${defaultDb} dB, ${taps(16000, 8000, defaultDb)} taps)`]: () => {
      for (const pcm of frames16k) downDefault.process(pcm);
    },
    [`resample 16->8 kHz (codec, 60 dB, ${taps(16000, 8000, 60)} taps)`]: () => {
      for (const pcm of frames16k) down60.process(pcm);
    },
    [`resample 16->8 kHz (bench sparse prototype, ${defaultDb} dB, bit-exact)`]: () => {
      for (const pcm of frames16k) downSparse(pcm);
    },
    'mulawEncode 160 samples': () => {
      for (const pcm of downsampled) mulawEncode(pcm);
    },
    'base64 encode + playAudio string': () => {
      for (const bytes of encoded) {
        const payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
        `{"event":"playAudio","media":{"contentType":"audio/x-mulaw","sampleRate":8000,"payload":"${payload}"},"streamId":"${ids.streamId}"}`
          .length;
      }
    },
  };
  const bench = new Bench({
    time: options.timeMs ?? 150,
    warmupTime: 30,
    throws: true,
    timestampProvider: cpuClock,
  });
  for (const [name, fn] of Object.entries(steps)) bench.add(name, fn);
  await bench.run();
  const usPerFrame = (name: string): number => {
    const result = bench.getTask(name)?.result;
    if (result?.state !== 'completed') throw new Error(`${name}: ${result?.state}`);
    return (result.latency.mean * 1000) / FRAMES_PER_ITERATION;
  };
  const floor = usPerFrame('floor: JSON.parse + base64 decode');
  return Object.keys(steps).map((step) => ({
    step,
    usPerFrame: usPerFrame(step),
    timesInboundFloor: usPerFrame(step) / floor,
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await runPlivoBreakdown();
  console.log('| step (per 20 ms frame) | µs | × inbound floor |\n| --- | --- | --- |');
  for (const row of rows)
    console.log(`| ${row.step} | ${row.usPerFrame.toFixed(2)} | ${row.timesInboundFloor.toFixed(2)} |`);
}
