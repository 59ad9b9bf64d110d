// Two toy carriers for testing's own tests (excluded from the build), so the kit is proved on carriers
// that are not the real ones: a JSON one (mu-law 8 kHz, REST hang-up), with deliberate flaws the suite
// must catch, and a binary one (raw L16 16 kHz frames, text control messages, no hang-up).
import { createStreamResampler, mulawDecode, mulawEncode, type StreamResampler } from '@callwire/codec';
import {
  type CallControl,
  type CallInfo,
  CallwireError,
  type CarrierPlugin,
  callControlToken,
  checkpointReachedFrame,
  createWarnOnce,
  type Frame,
  hangUpOverRest,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  LOGGER,
  type Logger,
  serializerFactoryToken,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import { z } from 'zod/v4';
import { basicAuthHeader, parseBasicAuth, startFakeCarrierApi } from '../fake-api/server.js';
import type { FakeCarrierApi } from '../fake-api/types.js';
import type { CarrierHarness } from '../harness.js';

export type Flaw =
  | 'wrong-clear'
  | 'drops-dtmf-D'
  | 'hangs-up-twice'
  | 'no-inbound-resample'
  | 'half-gain-outbound'
  | 'throws-on-bad-json'
  | 'logs-token'
  | 'logs-authorization-on-failure'
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
  | 'hangs-up-on-interruption'
  | 'oversized-audio-message';

export const TOY_AUTH_ID = 'MATOYAUTHID000000000';
export const TOY_AUTH_TOKEN = 'toy-secret-token-0123456789';
/** The toy's wire refuses audio messages of more than 100 ms (800 samples). */
const MAX_AUDIO_SAMPLES = 800;

const optionsSchema = z.object({
  authId: z.string().min(1).optional(),
  authToken: z.string().min(1).optional(),
  apiUrl: z.string().url().default('https://api.toy.example'),
  hangUpTimeoutMs: z.number().int().positive().default(5000),
});
type ToyOptions = z.output<typeof optionsSchema>;

const inboundSchema = z.discriminatedUnion('event', [
  z.object({ event: z.literal('start'), callId: z.string(), streamId: z.string() }),
  z.object({ event: z.literal('media'), payload: z.string().min(1) }),
  z.object({ event: z.literal('dtmf'), digit: z.string() }),
  z.object({ event: z.literal('mark'), name: z.string().min(1) }),
  z.object({ event: z.literal('cleared') }),
  z.object({ event: z.literal('stop') }),
]);

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The toy's REST API: `DELETE /v1/Account/{authId}/Call/{callId}/`, basic auth, 204 then 404. */
export function startFakeToyApi(): Promise<FakeCarrierApi> {
  const ended = new Set<string>();
  return startFakeCarrierApi(
    [
      {
        method: 'DELETE',
        pattern: '/v1/Account/{authId}/Call/{callId}/',
        handle: ({ params }) => {
          const callId = params.callId ?? '';
          if (ended.has(callId)) return { status: 404, body: { error: 'not found' } };
          ended.add(callId);
          return { status: 204 };
        },
      },
    ],
    {
      authorize: ({ headers, params }) => {
        const credentials = parseBasicAuth(headers.authorization);
        const ok =
          credentials?.user === TOY_AUTH_ID &&
          credentials.password === TOY_AUTH_TOKEN &&
          params.authId === TOY_AUTH_ID;
        return ok ? undefined : { status: 401, body: { error: 'not authorized' } };
      },
    },
  );
}

function toyControl(options: ToyOptions, logger: Logger, flaws: ReadonlySet<Flaw>): CallControl {
  const authorization = basicAuthHeader(options.authId ?? '', options.authToken ?? '');
  const url = (id: string) =>
    `${options.apiUrl}/v1/Account/${options.authId}/Call/${flaws.has('hang-up-wrong-path') ? `${id}/x` : id}/`;
  const rest = (callId: string) =>
    hangUpOverRest({
      carrier: 'toy',
      callId,
      logger: flaws.has('logs-authorization-on-failure')
        ? { ...logger, error: (_fields, message) => logger.error(`${message} with ${authorization}`) }
        : logger,
      deadlineMs: flaws.has('no-hang-up-deadline') ? 60_000 : options.hangUpTimeoutMs,
      // The header's credential too: an error page may echo it back.
      secrets: options.authToken ? [options.authToken, authorization.replace(/^Basic /, '')] : [],
      request: (id) => ({ method: 'DELETE', url: url(id), headers: { authorization } }),
    });
  return {
    carrier: 'toy',
    hangUp: async (callId) => {
      if (flaws.has('logs-token')) logger.debug({ token: options.authToken }, '[toy] hanging up');
      if (flaws.has('throws-on-hang-up-failure')) {
        const response = await fetch(url(callId), {
          method: 'DELETE',
          headers: { authorization },
          signal: AbortSignal.timeout(options.hangUpTimeoutMs),
        });
        if (response.status >= 300 && response.status !== 404) throw new Error(`HTTP ${response.status}`);
        return { outcome: 'ended' };
      }
      if (flaws.has('hangs-up-twice')) await rest(callId);
      return rest(callId);
    },
  };
}

function createToySerializer(
  call: CallInfo,
  options: ToyOptions,
  control: CallControl,
  logger: Logger,
  flaws: ReadonlySet<Flaw>,
): WireSerializer {
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

  const toWire = (frame: { audio: Int16Array; sampleRate: number }): Int16Array => {
    if (flaws.has('resampler-per-chunk') || !outbound || outboundRate !== frame.sampleRate) {
      outbound = createStreamResampler(frame.sampleRate, 8000);
      outboundRate = frame.sampleRate;
    }
    const pcm = outbound.process(frame.audio);
    return flaws.has('half-gain-outbound') ? pcm.map((sample) => sample >> 1) : pcm;
  };
  const media = (pcm: Int16Array) =>
    JSON.stringify({ event: 'media', payload: Buffer.from(mulawEncode(pcm)).toString('base64') });

  return {
    carrier: 'toy',
    streamId: call.streamId,
    callId: call.callId,
    autoHangUp,
    setup(start) {
      pipelineRate ||= start.audioInSampleRate;
      inbound = flaws.has('no-inbound-resample') ? undefined : createStreamResampler(8000, pipelineRate);
    },
    serialize(frame: Frame): WireMessage[] {
      switch (frame.type) {
        case 'interruption':
          // A serializer must not do I/O; this flawed one hangs up from here.
          if (flaws.has('hangs-up-on-interruption') && call.callId) void control.hangUp(call.callId);
          outbound?.reset();
          return [JSON.stringify({ event: flaws.has('wrong-clear') ? 'clearAudio' : 'clear' })];
        case 'output-audio': {
          const wire = toWire(frame);
          if (wire.length === 0 && !flaws.has('empty-audio-message')) return [];
          if (flaws.has('oversized-audio-message')) return [media(wire)];
          const messages: WireMessage[] = [];
          for (let offset = 0; offset < wire.length || offset === 0; offset += MAX_AUDIO_SAMPLES) {
            messages.push(media(wire.subarray(offset, offset + MAX_AUDIO_SAMPLES)));
          }
          return messages;
        }
        case 'checkpoint':
          return [
            JSON.stringify({ event: 'mark', name: flaws.has('wrong-checkpoint-name') ? 'cp' : frame.name }),
          ];
        case 'output-dtmf':
          return [JSON.stringify({ event: 'dtmf', digits: frame.digits })];
        case 'output-transport-message':
          return [JSON.stringify(flaws.has('wraps-transport') ? { message: frame.message } : frame.message)];
        default:
          return [];
      }
    },
    deserialize(data: WireMessage): Frame[] {
      if (typeof data !== 'string') {
        warnOnce('binary', '[toy] ignoring a binary message');
        return [];
      }
      let json: unknown;
      if (flaws.has('throws-on-bad-json')) json = JSON.parse(data);
      else {
        try {
          json = JSON.parse(data);
        } catch {
          warnOnce('bad-json', '[toy] ignoring a message that is not JSON');
          return [];
        }
      }
      if (flaws.has('trusts-payload-type')) {
        const loose = json as { event?: string; payload?: string };
        if (loose?.event === 'media') {
          const pcm = mulawDecode(new Uint8Array(Buffer.from(loose.payload as string, 'base64')));
          return [inputAudioFrame(inbound ? inbound.process(pcm) : pcm, pipelineRate)];
        }
      }
      const parsed = inboundSchema.safeParse(json);
      if (!parsed.success) {
        warnOnce('invalid', '[toy] ignoring an invalid message');
        return [];
      }
      const message = parsed.data;
      switch (message.event) {
        case 'media': {
          if (!base64.test(message.payload)) {
            warnOnce('bad-payload', '[toy] ignoring media that is not base64');
            return [];
          }
          const pcm = mulawDecode(new Uint8Array(Buffer.from(message.payload, 'base64')));
          if (flaws.has('inbound-resampler-per-message')) inbound = createStreamResampler(8000, pipelineRate);
          const audio = inbound ? inbound.process(pcm) : pcm;
          return audio.length > 0 ? [inputAudioFrame(audio, pipelineRate)] : [];
        }
        case 'dtmf':
          if (flaws.has('drops-dtmf-D') && message.digit === 'D') return [];
          if (flaws.has('accepts-bad-dtmf')) return [{ type: 'input-dtmf', digit: message.digit } as Frame];
          if (!isDtmfDigit(message.digit)) {
            if (!flaws.has('silent-on-bad-dtmf'))
              warnOnce('bad-dtmf', '[toy] ignoring an invalid DTMF digit');
            return [];
          }
          return [inputDtmfFrame(message.digit)];
        case 'mark':
          return [checkpointReachedFrame(message.name)];
        default:
          return [];
      }
    },
  };
}

function createToyPlugin(flaws: ReadonlySet<Flaw>): CarrierPlugin<z.input<typeof optionsSchema>, ToyOptions> {
  return {
    name: 'toy',
    options: optionsSchema,
    register(container, options) {
      container.register(callControlToken('toy'), {
        useFactory: (scope) => toyControl(options, scope.resolve(LOGGER), flaws),
      });
      container.register(serializerFactoryToken('toy'), {
        useValue: (call, scope) =>
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

function readJson(message: WireMessage): Record<string, unknown> | undefined {
  if (typeof message !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(message);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON toy (mu-law 8 kHz, every capability), with `flaws`. */
export function toyHarness(
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
    startApi: startFakeToyApi,
    options: ({ apiUrl, hangUpTimeoutMs }) => ({
      authId: TOY_AUTH_ID,
      authToken: TOY_AUTH_TOKEN,
      apiUrl,
      hangUpTimeoutMs,
    }),
    secrets: [TOY_AUTH_TOKEN, Buffer.from(`${TOY_AUTH_ID}:${TOY_AUTH_TOKEN}`).toString('base64')],
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
      cleared: () => JSON.stringify({ event: 'cleared' }),
      stop: () => JSON.stringify({ event: 'stop' }),
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
      problem: (message) => {
        if (typeof message !== 'string') return 'the toy takes text messages only';
        try {
          JSON.parse(message);
        } catch {
          return 'not JSON';
        }
        const json = readJson(message);
        if (
          json?.event === 'media' &&
          typeof json.payload === 'string' &&
          json.payload.length > (MAX_AUDIO_SAMPLES * 4) / 3 + 4
        ) {
          return `audio message over ${MAX_AUDIO_SAMPLES} samples`;
        }
        return undefined;
      },
    },
    hangUpRequest: { method: 'DELETE', path: (callId) => `/v1/Account/${TOY_AUTH_ID}/Call/${callId}/` },
    hostileMessages: ['{"event":"mark","name":""}', '{"event":"start","callId":1}'],
  };
}

// The binary toy: 20 ms frames of raw little-endian L16 at 16 kHz, control messages as JSON text.
const BINARY_RATE = 16000;
const BINARY_FRAME_BYTES = 640;

function l16(pcm: Int16Array): Uint8Array {
  const bytes = new Uint8Array(pcm.length * 2);
  const view = new DataView(bytes.buffer);
  for (const [index, sample] of pcm.entries()) view.setInt16(index * 2, sample, true);
  return bytes;
}

function pcmOf(bytes: Uint8Array): Int16Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Int16Array.from({ length: bytes.length >> 1 }, (_, index) => view.getInt16(index * 2, true));
}

function createBinarySerializer(call: CallInfo): WireSerializer {
  let rate = BINARY_RATE;
  return {
    carrier: 'bintoy',
    streamId: call.streamId,
    callId: call.callId,
    autoHangUp: false,
    setup(start) {
      rate = start.audioOutSampleRate;
    },
    serialize(frame) {
      switch (frame.type) {
        case 'output-audio': {
          if (frame.sampleRate !== rate) return [];
          const bytes = l16(frame.audio);
          const out: WireMessage[] = [];
          for (let offset = 0; offset < bytes.length; offset += BINARY_FRAME_BYTES) {
            out.push(bytes.slice(offset, offset + BINARY_FRAME_BYTES));
          }
          return out;
        }
        case 'interruption':
          return [JSON.stringify({ action: 'clear' })];
        case 'checkpoint':
          return [JSON.stringify({ action: 'mark', name: frame.name })];
        default:
          return [];
      }
    },
    deserialize(data) {
      if (typeof data !== 'string') {
        return data.length > 0 && data.length % 2 === 0 ? [inputAudioFrame(pcmOf(data), BINARY_RATE)] : [];
      }
      const json = readJson(data);
      if (json?.event === 'digit' && isDtmfDigit(json.digit)) return [inputDtmfFrame(json.digit)];
      if (json?.event === 'marked' && typeof json.name === 'string' && json.name)
        return [checkpointReachedFrame(json.name)];
      return [];
    },
  };
}

const binaryPlugin: CarrierPlugin<Record<string, never>> = {
  name: 'bintoy',
  options: z.object({}).passthrough() as unknown as CarrierPlugin<Record<string, never>>['options'],
  register(container) {
    container.register(serializerFactoryToken('bintoy'), {
      useValue: (call) => createBinarySerializer(call),
    });
  },
};

/** The binary toy (L16 16 kHz binary frames, DTMF and checkpoints, no output DTMF, no hang-up). */
export function binaryToyHarness(): CarrierHarness<Record<string, never>> {
  return {
    plugin: binaryPlugin,
    wireSampleRate: BINARY_RATE,
    wireCodec: 'l16',
    supports: {
      dtmf: true,
      clear: true,
      checkpoint: true,
      outputDtmf: false,
      hangUp: false,
      transportMessage: false,
    },
    options: () => ({}),
    secrets: [],
    call: ({ callId, streamId }) => ({ callId, streamId, params: { autoHangUp: false } }),
    wire: {
      start: (call) => [JSON.stringify({ event: 'open', stream: call.streamId })],
      media: (_call, pcm) => l16(pcm),
      dtmf: (_call, digit) => JSON.stringify({ event: 'digit', digit }),
      checkpointReached: (_call, name) => JSON.stringify({ event: 'marked', name }),
    },
    read: {
      audio: (message) => (typeof message === 'string' ? undefined : pcmOf(message)),
      isClear: (message) => readJson(message)?.action === 'clear',
      checkpointName: (message) => {
        const json = readJson(message);
        return json?.action === 'mark' && typeof json.name === 'string' ? json.name : undefined;
      },
      problem: (message) => {
        if (typeof message === 'string')
          return readJson(message) === undefined ? 'not a JSON object' : undefined;
        if (message.length % 2 !== 0 || message.length > BINARY_FRAME_BYTES)
          return `a binary frame of ${message.length} bytes`;
        return undefined;
      },
    },
  };
}
