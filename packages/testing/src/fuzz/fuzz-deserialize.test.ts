import {
  type Frame,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { inboundFrameProblem } from './frame-problem.js';
import { formatFuzzInput, fuzzDeserialize } from './fuzz-deserialize.js';
import { hostileWireMessage, jsonPaths } from './hostile-input.js';

// A toy carrier: {"event":"dtmf","dtmf":{"digit":"5"}} and {"event":"media","media":{"payload":"<base64>"}},
// one byte of payload per 16-bit sample.
const SEEDS: WireMessage[] = [
  JSON.stringify({ event: 'start', start: { streamId: 's-1', callId: 'c-1' } }),
  JSON.stringify({
    event: 'media',
    streamId: 's-1',
    media: { payload: Buffer.from([1, 2, 3, 4]).toString('base64') },
  }),
  JSON.stringify({ event: 'dtmf', streamId: 's-1', dtmf: { digit: '5' } }),
];

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The well-behaved toy: validates every field and never throws. */
function carefulToy(): WireSerializer {
  return {
    carrier: 'toy',
    streamId: 's-1',
    callId: 'c-1',
    autoHangUp: false,
    setup() {},
    serialize: () => [],
    deserialize(data): Frame[] {
      if (typeof data !== 'string') return [];
      let message: Record<string, unknown> | undefined;
      try {
        message = record(JSON.parse(data));
      } catch {
        return [];
      }
      if (message?.event === 'dtmf') {
        const digit = record(message.dtmf)?.digit;
        return isDtmfDigit(digit) ? [inputDtmfFrame(digit)] : [];
      }
      if (message?.event === 'media') {
        const payload = record(message.media)?.payload;
        if (typeof payload !== 'string' || payload.length === 0) return [];
        const bytes = Buffer.from(payload, 'base64');
        if (bytes.length === 0) return [];
        return [
          inputAudioFrame(
            Int16Array.from(bytes, (byte) => byte << 7),
            8000,
          ),
        ];
      }
      return [];
    },
  };
}

/**
 * A toy whose deserialize is replaced by `deserialize` (the rest as the careful toy). It may break the
 * contract in every way the fuzzer looks for: throw, return a promise that rejects or never settles.
 */
function toyWith(deserialize: (data: WireMessage) => Frame[] | Promise<Frame[]>): WireSerializer {
  return { ...carefulToy(), deserialize } as unknown as WireSerializer;
}

// biome-ignore lint/suspicious/noExplicitAny: the buggy toys read fields without checks on purpose
type Loose = any;

// Fuzz runs share 2 cores with other work: give them room.
vi.setConfig({ testTimeout: 60_000 });

describe('fuzzDeserialize', () => {
  it('finds nothing wrong with a serializer that validates its input, and reaches its frame paths', async () => {
    const report = await fuzzDeserialize({ createSerializer: carefulToy, seeds: SEEDS, runs: 2000, seed: 7 });
    expect(report.findings).toEqual([]);
    expect(report.cases).toBe(2000);
    expect(report.outcomes['input-dtmf']).toBeGreaterThan(0);
    expect(report.outcomes['input-audio']).toBeGreaterThan(0);
    expect(report.outcomes.undefined).toBeGreaterThan(500);
    expect(report.casesPerSecond).toBeGreaterThan(0);
  });

  it('reports a serializer that rejects on a missing field', async () => {
    const report = await fuzzDeserialize({
      createSerializer: () =>
        toyWith(async (data) => {
          const message: Loose = JSON.parse(String(data));
          return message.event === 'dtmf' ? [inputDtmfFrame(message.dtmf.digit)] : [];
        }),
      seeds: SEEDS,
      runs: 500,
      seed: 1,
    });
    expect(report.findings.map((finding) => finding.kind)).toContain('rejected');
    expect(report.findingCount).toBeGreaterThan(10);
  });

  it('reports a synchronous throw', async () => {
    const serializer: WireSerializer = {
      ...carefulToy(),
      deserialize(data) {
        if (typeof data !== 'string') throw new TypeError('binary not supported');
        return [];
      },
    };
    const report = await fuzzDeserialize({
      createSerializer: () => serializer,
      seeds: SEEDS,
      runs: 300,
      seed: 2,
    });
    expect(
      report.findings.some((finding) => finding.kind === 'threw' && typeof finding.input !== 'string'),
    ).toBe(true);
  });

  it('reports a frame that is not valid (an unchecked DTMF digit, a float sample rate)', async () => {
    const report = await fuzzDeserialize({
      createSerializer: () =>
        toyWith(async (data) => {
          let message: Loose;
          try {
            message = JSON.parse(String(data));
          } catch {
            return [];
          }
          if (message?.event === 'dtmf') return [{ type: 'input-dtmf', digit: message.dtmf?.digit } as Frame];
          if (message?.event === 'media') {
            return [{ type: 'input-audio', audio: new Int16Array(2), sampleRate: 7999.5, numChannels: 1 }];
          }
          return [];
        }),
      seeds: SEEDS,
      runs: 500,
      seed: 3,
    });
    const details = report.findings
      .filter((finding) => finding.kind === 'invalid-frame')
      .map((f) => f.detail);
    expect(details.some((detail) => detail.includes('invalid DTMF digit'))).toBe(true);
    expect(details.some((detail) => detail.includes('sampleRate'))).toBe(true);
  });

  it('reports an unhandled rejection left behind by a case and restores the listeners it replaced', async () => {
    const before = process.listeners('unhandledRejection');
    const report = await fuzzDeserialize({
      createSerializer: () =>
        toyWith(async (data) => {
          if (typeof data === 'string' && data.includes('"dtmf"')) {
            void Promise.reject(new Error('forgotten promise'));
          }
          return [];
        }),
      seeds: SEEDS,
      runs: 300,
      seed: 4,
    });
    expect(
      report.findings.some((f) => f.kind === 'unhandled-rejection' && f.detail.includes('forgotten')),
    ).toBe(true);
    expect(process.listeners('unhandledRejection')).toEqual(before);
  });

  it('reports prototype pollution through a careless deep merge, and undoes it', async () => {
    const merge = (target: Loose, source: Loose): void => {
      for (const key in source) {
        if (typeof source[key] === 'object' && source[key] !== null) {
          target[key] ??= {};
          merge(target[key], source[key]);
        } else {
          target[key] = source[key];
        }
      }
    };
    const report = await fuzzDeserialize({
      createSerializer: () =>
        toyWith(async (data) => {
          try {
            merge({}, JSON.parse(String(data)));
          } catch {}
          return [];
        }),
      seeds: SEEDS,
      runs: 1000,
      seed: 5,
    });
    expect(report.findings.some((f) => f.kind === 'prototype-polluted')).toBe(true);
    expect(({} as Loose).polluted).toBeUndefined();
  });

  it('reports a case that never settles', async () => {
    const report = await fuzzDeserialize({
      createSerializer: () =>
        toyWith((data) => (String(data).startsWith('[') ? new Promise<Frame[]>(() => {}) : [])),
      seeds: SEEDS,
      runs: 300,
      seed: 6,
      caseTimeoutMs: 20,
    });
    expect(report.findings.some((f) => f.kind === 'hung')).toBe(true);
  });

  it('reports audio out of proportion to the input', async () => {
    const report = await fuzzDeserialize({
      createSerializer: () =>
        toyWith(async (data) =>
          String(data).includes('media') ? [inputAudioFrame(new Int16Array(1_000_000), 8000)] : [],
        ),
      seeds: SEEDS,
      runs: 100,
      seed: 8,
    });
    expect(report.findings.some((f) => f.kind === 'amplification')).toBe(true);
  });

  it('feeds the detect hook every input and reports a throw or a result without a stream id', async () => {
    const report = await fuzzDeserialize({
      createSerializer: carefulToy,
      seeds: SEEDS,
      runs: 300,
      seed: 9,
      detect: (message) => {
        const start = (message as Loose)?.start;
        if (start === undefined) return undefined;
        return { streamId: start.streamId, callId: start.callId };
      },
    });
    const details = report.findings.filter((f) => f.kind === 'detect-failed').map((f) => f.detail);
    expect(details.some((detail) => detail.startsWith('detect threw'))).toBe(true);
    expect(details.some((detail) => detail.includes('without a streamId'))).toBe(true);
    const clean = await fuzzDeserialize({
      createSerializer: carefulToy,
      seeds: SEEDS,
      runs: 300,
      seed: 9,
      detect: () => 'need-more',
    });
    expect(clean.findings).toEqual([]);
  });

  it('gives the same inputs for the same seed', async () => {
    const inputs = (seed: number) => {
      const seen: string[] = [];
      return fuzzDeserialize({
        createSerializer: () =>
          toyWith(async (data) => {
            seen.push(formatFuzzInput(data));
            return [];
          }),
        seeds: SEEDS,
        runs: 50,
        seed,
      }).then(() => seen);
    };
    expect(await inputs(11)).toEqual(await inputs(11));
    expect(await inputs(11)).not.toEqual(await inputs(12));
  });
});

describe('hostileWireMessage', () => {
  const sample = fc.sample(hostileWireMessage(SEEDS), { numRuns: 4000, seed: 42 });
  const texts = sample.filter((input): input is string => typeof input === 'string');
  const bytes = sample.filter((input): input is Uint8Array => typeof input !== 'string');

  it('mixes text and binary input', () => {
    expect(texts.length).toBeGreaterThan(1000);
    expect(bytes.length).toBeGreaterThan(200);
  });

  it('includes the seeds themselves, truncations and non-JSON text', () => {
    for (const seed of SEEDS) expect(texts).toContain(seed);
    const seed = SEEDS[1] as string;
    expect(texts.some((text) => text.length > 0 && text.length < seed.length && seed.startsWith(text))).toBe(
      true,
    );
    const unparsable = texts.filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return true;
      }
    });
    expect(unparsable.length).toBeGreaterThan(200);
  });

  it('includes prototype-pollution keys, deleted fields and type swaps', () => {
    expect(texts.some((text) => text.includes('"__proto__"'))).toBe(true);
    expect(texts.some((text) => text.includes('"constructor"'))).toBe(true);
    expect(texts.some((text) => text.includes('"event":"media"') && !text.includes('"payload"'))).toBe(true);
    expect(texts.some((text) => /"digit":(?!")/.test(text))).toBe(true);
  });

  it('includes invalid UTF-8 and huge values', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const invalid = bytes.filter((input) => {
      try {
        decoder.decode(input);
        return false;
      } catch {
        return true;
      }
    });
    expect(invalid.length).toBeGreaterThan(50);
    expect(
      sample.some((input) => (typeof input === 'string' ? input.length : input.byteLength) > 100_000),
    ).toBe(true);
  });

  it('falls back to random input without seeds', () => {
    expect(fc.sample(hostileWireMessage([]), { numRuns: 20, seed: 1 })).toHaveLength(20);
  });
});

describe('jsonPaths', () => {
  it('lists the root and every nested key and index', () => {
    expect(jsonPaths({ a: [1, { b: 2 }] })).toEqual([[], ['a'], ['a', 0], ['a', 1], ['a', 1, 'b']]);
    expect(jsonPaths('x')).toEqual([[]]);
  });
});

describe('inboundFrameProblem', () => {
  it('accepts valid inbound frames and names what is wrong with invalid ones', () => {
    expect(inboundFrameProblem(inputAudioFrame(new Int16Array(4), 16000))).toBeUndefined();
    expect(inboundFrameProblem({ type: 'end' })).toBeUndefined();
    expect(inboundFrameProblem({ type: 'checkpoint-reached', name: 'x' })).toBeUndefined();
    expect(inboundFrameProblem(null)).toMatch(/not an object/);
    expect(inboundFrameProblem({ type: 'nope' })).toMatch(/not a frame a carrier yields/);
    expect(
      inboundFrameProblem({ type: 'input-audio', audio: [1], sampleRate: 8000, numChannels: 1 }),
    ).toMatch(/Int16Array/);
    expect(
      inboundFrameProblem({
        type: 'input-audio',
        audio: new Int16Array(3),
        sampleRate: 8000,
        numChannels: 2,
      }),
    ).toMatch(/multiple/);
    expect(inboundFrameProblem({ type: 'input-dtmf', digit: 'E' })).toMatch(/DTMF/);
    expect(inboundFrameProblem({ type: 'checkpoint-reached', name: '' })).toMatch(/name/);
    expect(inboundFrameProblem({ type: 'start', audioInSampleRate: 0, audioOutSampleRate: 8000 })).toMatch(
      /rates/,
    );
    expect(inboundFrameProblem(Object.create({ type: 'end' }))).toMatch(/plain/);
    expect(inboundFrameProblem({ type: 'start', audioInSampleRate: 0, audioOutSampleRate: 8000 })).toMatch(
      /rates/,
    );
    // Frames only the application sends are not what deserialize may yield.
    expect(inboundFrameProblem({ type: 'output-dtmf', digits: '1' })).toMatch(/not a frame a carrier yields/);
    expect(inboundFrameProblem(inputAudioFrame(new Int16Array(0), 8000))).toMatch(/empty audio/);
    expect(inboundFrameProblem(inputAudioFrame(new Int16Array(4), 8000), 16000)).toMatch(
      /pipeline rate 16000/,
    );
  });
});

describe('formatFuzzInput', () => {
  it('quotes text and hex-dumps bytes, cut at a maximum length', () => {
    expect(formatFuzzInput('{"a":1}')).toBe('"{\\"a\\":1}"');
    expect(formatFuzzInput(new Uint8Array([0, 255]))).toBe('bytes[2] 00ff');
    expect(formatFuzzInput('x'.repeat(1000), 20)).toMatch(/… \(1000 chars\)$/);
  });
});
