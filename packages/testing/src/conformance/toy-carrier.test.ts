// A toy carrier (JSON protocol, mu-law 8 kHz, Plivo-shaped REST hang-up) that implements the harness
// correctly and passes the suite, plus deliberately broken variants that the suite's checks must catch.
import { createStreamResampler, mulawDecode, mulawEncode, type StreamResampler } from '@callwire/codec';
import {
  type CallControl,
  type CallInfo,
  CallwireError,
  type CarrierPlugin,
  callControlToken,
  checkpointReachedFrame,
  createWarnOnce,
  endFrame,
  type Frame,
  type FrameSerializer,
  hangUpOverRest,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  LOGGER,
  type Logger,
  type StartFrame,
  serializerFactoryToken,
  type WireMessage,
} from '@callwire/core';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startFakePlivoApi } from '../fake-api/plivo.js';
import { basicAuthHeader } from '../fake-api/server.js';
import {
  checkChunkInvariance,
  checkEmptyAudio,
  checkInboundAudio,
  checkInboundChunkInvariance,
  checkOutboundAudio,
} from './checks-audio.js';
import {
  checkCheckpoint,
  checkDtmfDigits,
  checkInterruption,
  checkInvalidDtmf,
  checkOutputDtmf,
  checkTransportMessages,
} from './checks-control.js';
import {
  checkHangUpFault,
  checkHangUpOnce,
  checkMissingCallIdRefused,
  HANG_UP_FAULTS,
} from './checks-hang-up.js';
import { checkGeneratedMessages, checkHostileCorpus, checkMutatedMessages } from './checks-hostile.js';
import { checkNoSecretsLogged, expectNoSecrets } from './checks-secrets.js';
import { type ConformanceContext, createConformanceContext } from './context.js';
import type { CarrierHarness } from './harness.js';
import { describeCarrierConformance, harnessProblems } from './suite.js';

type Flaw =
  | 'wrong-clear'
  | 'drops-dtmf-D'
  | 'hangs-up-twice'
  | 'no-inbound-resample'
  | 'half-gain-outbound'
  | 'throws-on-bad-json'
  | 'logs-token'
  | 'resampler-per-chunk'
  | 'empty-audio-message'
  | 'no-hang-up-deadline'
  | 'wraps-transport'
  | 'wrong-checkpoint-name'
  | 'hang-up-wrong-path'
  | 'accepts-bad-dtmf'
  | 'silent-on-bad-dtmf'
  | 'trusts-payload-type'
  | 'no-call-id-check'
  | 'throws-on-hang-up-failure'
  | 'inbound-resampler-per-message'
  | 'hangs-up-on-interruption';

const AUTH_ID = 'MATOYAUTHID000000000';
const AUTH_TOKEN = 'toy-secret-token-0123456789';

const optionsSchema = z.object({
  authId: z.string().min(1).optional(),
  authToken: z.string().min(1).optional(),
  apiUrl: z.string().url().default('https://api.plivo.com'),
  hangUpTimeoutMs: z.number().int().positive().default(5000),
});
type ToyOptions = z.output<typeof optionsSchema>;

const inboundSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('start'), callId: z.string(), streamId: z.string() }),
  z.object({ event: z.literal('media'), payload: z.string().min(1) }),
  z.object({ event: z.literal('dtmf'), digit: z.string() }),
  z.object({ event: z.literal('mark'), name: z.string().min(1) }),
]);

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function createToyPlugin(flaws: ReadonlySet<Flaw>): CarrierPlugin<z.input<typeof optionsSchema>, ToyOptions> {
  return {
    name: 'toy',
    options: optionsSchema,
    register(container, options) {
      const logger = container.resolve(LOGGER);
      const control: CallControl = {
        carrier: 'toy',
        hangUp: async (callId) => {
          if (flaws.has('logs-token')) logger.debug({ token: options.authToken }, '[toy] hanging up');
          if (flaws.has('throws-on-hang-up-failure')) {
            const response = await fetch(`${options.apiUrl}/v1/Account/${options.authId}/Call/${callId}/`, {
              method: 'DELETE',
              headers: { authorization: basicAuthHeader(options.authId ?? '', options.authToken ?? '') },
              signal: AbortSignal.timeout(options.hangUpTimeoutMs),
            });
            if (response.status >= 300 && response.status !== 404) throw new Error(`HTTP ${response.status}`);
            return { outcome: 'ended' };
          }
          return hangUpOverRest({
            carrier: 'toy',
            callId,
            logger,
            deadlineMs: flaws.has('no-hang-up-deadline') ? 60_000 : options.hangUpTimeoutMs,
            secrets: options.authToken ? [options.authToken] : [],
            request: (id) => ({
              method: 'DELETE',
              url: `${options.apiUrl}/v1/Account/${options.authId}/Call/${flaws.has('hang-up-wrong-path') ? `${id}/x` : id}/`,
              headers: { authorization: basicAuthHeader(options.authId ?? '', options.authToken ?? '') },
            }),
          });
        },
      };
      container.register(callControlToken('toy'), { useValue: control });
      container.register(serializerFactoryToken('toy'), {
        useValue: (call: CallInfo, scope) =>
          createToySerializer(
            call,
            options,
            scope.resolve(callControlToken('toy')),
            scope.resolve(LOGGER),
            flaws,
          ),
      });
    },
  };
}

function createToySerializer(
  call: CallInfo,
  options: ToyOptions,
  control: CallControl,
  logger: Logger,
  flaws: ReadonlySet<Flaw>,
): FrameSerializer {
  const autoHangUp = call.params?.autoHangUp !== false;
  if (autoHangUp && !flaws.has('no-call-id-check')) {
    const missing = [
      ...(call.callId ? [] : ['callId']),
      ...(options.authId ? [] : ['authId']),
      ...(options.authToken ? [] : ['authToken']),
    ];
    if (missing.length > 0)
      throw new CallwireError('CONFIG', `[toy] auto hang-up needs ${missing.join(', ')}`);
  }
  const warnOnce = createWarnOnce(logger);
  let pipelineRate = Number(call.params?.sampleRate ?? 0);
  let inbound: StreamResampler | undefined;
  let outbound: StreamResampler | undefined;
  let outboundRate = 0;
  let hungUp = false;

  const toWire = (frame: { audio: Int16Array; sampleRate: number }): Int16Array => {
    if (flaws.has('resampler-per-chunk') || !outbound || outboundRate !== frame.sampleRate) {
      outbound = createStreamResampler(frame.sampleRate, 8000);
      outboundRate = frame.sampleRate;
    }
    const pcm = outbound.process(frame.audio);
    return flaws.has('half-gain-outbound') ? pcm.map((sample) => sample >> 1) : pcm;
  };

  return {
    carrier: 'toy',
    async setup(start: StartFrame) {
      pipelineRate ||= start.audioInSampleRate;
      inbound = flaws.has('no-inbound-resample') ? undefined : createStreamResampler(8000, pipelineRate);
    },
    async serialize(frame: Frame): Promise<WireMessage | undefined> {
      switch (frame.type) {
        case 'end':
        case 'cancel':
          if (autoHangUp && (!hungUp || flaws.has('hangs-up-twice')) && call.callId) {
            hungUp = true;
            await control.hangUp(call.callId);
          }
          return undefined;
        case 'interruption':
          if (flaws.has('hangs-up-on-interruption') && call.callId) await control.hangUp(call.callId);
          outbound?.reset();
          return JSON.stringify({ event: flaws.has('wrong-clear') ? 'clearAudio' : 'clear' });
        case 'output-audio': {
          const wire = toWire(frame);
          if (wire.length === 0 && !flaws.has('empty-audio-message')) return undefined;
          return JSON.stringify({
            event: 'media',
            payload: Buffer.from(mulawEncode(wire)).toString('base64'),
          });
        }
        case 'checkpoint':
          return JSON.stringify({
            event: 'mark',
            name: flaws.has('wrong-checkpoint-name') ? 'cp' : frame.name,
          });
        case 'output-dtmf':
          return JSON.stringify({ event: 'dtmf', digits: frame.digits });
        case 'output-transport-message':
          return JSON.stringify(flaws.has('wraps-transport') ? { message: frame.message } : frame.message);
        default:
          return undefined;
      }
    },
    async deserialize(data: WireMessage): Promise<Frame | undefined> {
      if (typeof data !== 'string') {
        warnOnce('binary', '[toy] ignoring a binary message');
        return undefined;
      }
      let json: unknown;
      if (flaws.has('throws-on-bad-json')) json = JSON.parse(data);
      else {
        try {
          json = JSON.parse(data);
        } catch {
          warnOnce('bad-json', '[toy] ignoring a message that is not JSON');
          return undefined;
        }
      }
      if (flaws.has('trusts-payload-type')) {
        const loose = json as { event?: string; payload?: string };
        if (loose?.event === 'media') {
          const pcm = mulawDecode(new Uint8Array(Buffer.from(loose.payload as string, 'base64')));
          return inputAudioFrame(inbound ? inbound.process(pcm) : pcm, pipelineRate);
        }
      }
      const parsed = inboundSchema.safeParse(json);
      if (!parsed.success) {
        warnOnce('invalid', '[toy] ignoring an invalid message');
        return undefined;
      }
      const message = parsed.data;
      switch (message.event) {
        case 'media': {
          if (!base64.test(message.payload)) {
            warnOnce('bad-payload', '[toy] ignoring media that is not base64');
            return undefined;
          }
          const pcm = mulawDecode(new Uint8Array(Buffer.from(message.payload, 'base64')));
          if (flaws.has('inbound-resampler-per-message')) inbound = createStreamResampler(8000, pipelineRate);
          const audio = inbound ? inbound.process(pcm) : pcm;
          return audio.length > 0 ? inputAudioFrame(audio, pipelineRate) : undefined;
        }
        case 'dtmf':
          if (flaws.has('drops-dtmf-D') && message.digit === 'D') return undefined;
          if (flaws.has('accepts-bad-dtmf')) return { type: 'input-dtmf', digit: message.digit } as Frame;
          if (!isDtmfDigit(message.digit)) {
            if (!flaws.has('silent-on-bad-dtmf'))
              warnOnce('bad-dtmf', '[toy] ignoring an invalid DTMF digit');
            return undefined;
          }
          return inputDtmfFrame(message.digit);
        case 'mark':
          return checkpointReachedFrame(message.name);
        default:
          return undefined;
      }
    },
  };
}

function readJson(message: WireMessage): Record<string, unknown> | undefined {
  if (typeof message !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(message);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function toyHarness(
  flaws: ReadonlySet<Flaw> = new Set(),
): CarrierHarness<z.input<typeof optionsSchema>, ToyOptions> {
  return {
    plugin: createToyPlugin(flaws),
    wireSampleRate: 8000,
    wireCodec: 'mulaw',
    supports: {
      dtmf: true,
      clear: true,
      checkpoint: true,
      outputDtmf: true,
      hangUp: true,
      transportMessage: true,
    },
    startApi: () => startFakePlivoApi({ authId: AUTH_ID, authToken: AUTH_TOKEN }),
    options: ({ apiUrl, hangUpTimeoutMs }) => ({
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      apiUrl,
      hangUpTimeoutMs,
    }),
    secrets: [AUTH_TOKEN],
    call: ({ callId, streamId, sampleRate, autoHangUp }) => ({
      callId,
      streamId,
      params: { sampleRate, autoHangUp },
    }),
    wire: {
      start: (call) => [JSON.stringify({ event: 'start', callId: call.callId, streamId: call.streamId })],
      media: (_call, pcm) =>
        JSON.stringify({ event: 'media', payload: Buffer.from(mulawEncode(pcm)).toString('base64') }),
      dtmf: (_call, digit) => JSON.stringify({ event: 'dtmf', digit }),
      checkpointReached: (_call, name) => JSON.stringify({ event: 'mark', name }),
    },
    read: {
      audio: (message) => {
        const json = readJson(message);
        return json?.event === 'media' && typeof json.payload === 'string'
          ? mulawDecode(new Uint8Array(Buffer.from(json.payload, 'base64')))
          : undefined;
      },
      isClear: (message) => readJson(message)?.event === 'clear',
      checkpointName: (message) => {
        const json = readJson(message);
        return json?.event === 'mark' && typeof json.name === 'string' ? json.name : undefined;
      },
      outputDtmf: (message) => {
        const json = readJson(message);
        return json?.event === 'dtmf' && typeof json.digits === 'string' ? json.digits : undefined;
      },
    },
    hangUpRequest: { method: 'DELETE', path: (callId) => `/v1/Account/${AUTH_ID}/Call/${callId}/` },
    hostileMessages: ['{"event":"mark","name":""}', '{"event":"start","callId":1}'],
  };
}

describeCarrierConformance(toyHarness());

// The same toy declaring fewer capabilities: those checks show up as skipped with a reason, and the
// suite runs without a carrier API (an empty fake records any stray request).
const { startApi: _noApi, hangUpRequest: _noRequest, ...basic } = toyHarness();
describe('declaring fewer capabilities', () => {
  describeCarrierConformance({
    ...basic,
    supports: {
      dtmf: false,
      clear: true,
      checkpoint: false,
      outputDtmf: false,
      hangUp: false,
      transportMessage: false,
    },
  });
});

describe('the conformance checks catch broken carriers', () => {
  let context: ConformanceContext | undefined;
  afterEach(async () => {
    await context?.close();
    context = undefined;
  });
  const open = async (flaw: Flaw) => {
    context = await createConformanceContext(toyHarness(new Set([flaw])));
    return context;
  };

  // Each flaw, the check that must catch it, and what the failure must say.
  const cases: Array<[Flaw, (context: ConformanceContext) => Promise<void>, RegExp]> = [
    ['wrong-clear', checkInterruption, /not the carrier's clear message/],
    ['drops-dtmf-D', checkDtmfDigits, /DTMF key "D"/],
    ['hangs-up-twice', (c) => checkHangUpOnce(c, [endFrame(), endFrame()]), /exactly once/],
    ['hang-up-wrong-path', (c) => checkHangUpOnce(c, [endFrame()]), /exactly once/],
    ['no-inbound-resample', (c) => checkInboundAudio(c, 16000), /gave 4800 at 16000 Hz, expected 9600/],
    ['half-gain-outbound', (c) => checkOutboundAudio(c, 8000), /tone level changed/],
    ['throws-on-bad-json', checkHostileCorpus, /hostile messages were not ignored/],
    ['throws-on-bad-json', (c) => checkGeneratedMessages(c, 100), /Property failed/],
    ['trusts-payload-type', checkMutatedMessages, /mutated messages were not ignored/],
    ['resampler-per-chunk', (c) => checkChunkInvariance(c, 24000), /differs on the wire/],
    ['empty-audio-message', (c) => checkChunkInvariance(c, 48000), /must not be empty/],
    ['wraps-transport', checkTransportMessages, /transport message on the wire/],
    ['wrong-checkpoint-name', checkCheckpoint, /checkpoint message name/],
    ['accepts-bad-dtmf', checkInvalidDtmf, /invalid DTMF key "X"/],
    ['silent-on-bad-dtmf', checkInvalidDtmf, /no warning logged/],
    ['no-call-id-check', checkMissingCallIdRefused, /refused at createSerializer/],
    [
      'no-hang-up-deadline',
      (c) => checkHangUpFault(c, HANG_UP_FAULTS['a stall (never answers)']!.fault, { logsFailure: true }),
      /did not settle within/,
    ],
    [
      'throws-on-hang-up-failure',
      (c) => checkHangUpFault(c, HANG_UP_FAULTS['500 (server error)']!.fault, { logsFailure: true }),
      /threw \(it must never throw\)/,
    ],
    ['logs-token', (c) => checkHangUpOnce(c, [endFrame()]), /credentials reached a log line/],
    [
      'inbound-resampler-per-message',
      (c) => checkInboundChunkInvariance(c, 48000),
      /decode differently|gave \d+ samples/,
    ],
    ['hangs-up-on-interruption', (c) => checkHangUpOnce(c, [endFrame()]), /other than end\/cancel/],
  ];
  for (const [flaw, check, failure] of cases) {
    it(`fails a carrier with the flaw "${flaw}"`, async () => {
      await expect(check(await open(flaw))).rejects.toThrow(failure);
    }, 15_000);
  }

  it('passes the same checks on the correct toy (so the failures above are the flaws)', async () => {
    context = await createConformanceContext(toyHarness());
    await checkInterruption(context);
    await checkDtmfDigits(context);
    await checkHangUpOnce(context, [endFrame(), endFrame()]);
    await checkInboundAudio(context, 16000);
    await checkChunkInvariance(context, 24000);
    await checkEmptyAudio(context, 48000);
    await checkOutputDtmf(context);
    expectNoSecrets(context);
  }, 15_000);

  it('fails the secrets check when a log line holds the token, without printing it', async () => {
    const leaky = await open('logs-token');
    await leaky.openCall({ sampleRate: 8000, autoHangUp: true }).then((call) => call.serialize(endFrame()));
    const failure = await Promise.resolve()
      .then(() => checkNoSecretsLogged(leaky))
      .then(
        () => undefined,
        (error: Error) => error,
      );
    expect(failure?.message).toMatch(/credentials reached a log line/);
    expect(failure?.message).not.toContain(AUTH_TOKEN);
  });

  it('reports harnesses whose declared capabilities lack their functions', () => {
    const harness = toyHarness();
    expect(harnessProblems({ ...harness, wire: { media: harness.wire.media } })).toEqual([
      'supports.dtmf without wire.dtmf',
      'supports.checkpoint without wire.checkpointReached',
    ]);
  });
});
