import {
  type CallControl,
  type CarrierPlugin,
  callControlToken,
  type Frame,
  type FrameSerializer,
  hangUpOverRest,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  LOGGER,
  type Logger,
  serializerFactoryToken,
} from '@callwire/core';
import { describe, expect, it } from 'vitest';
import type { CarrierHarness } from '../conformance/harness.js';
import { startFakePlivoApi } from '../fake-api/plivo.js';
import { findLeaks, secretForms } from './capture.js';
import { harnessSeeds, itFuzzesDeserialize } from './harness-fuzz.js';
import { describeHangUpFaultMatrix, failureLines, runHangUp, visibleTexts } from './rest-fault-matrix.js';
import { describeSecretsCheck } from './secrets-check.js';

// A toy carrier with a real REST hang-up (core's policy, against the fake Plivo API) to run the
// reliability suites on before any real carrier exists, and a leaky variant they must catch.
interface ToyOptions {
  authId: string;
  authToken: string;
  apiUrl: string;
  hangUpTimeoutMs: number;
}

const AUTH_ID = 'MATOYTOYTOYTOYTOYTOY';
const AUTH_TOKEN = 'toy-secret-token-5f1e0c9a7b';

/** A stand-in for a zod schema (this package does not depend on zod): checks the URL and the deadline. */
const toyOptionsSchema = {
  safeParse(value: unknown) {
    const options = value as Partial<ToyOptions>;
    const issues = [
      ...(typeof options.apiUrl === 'string' && URL.canParse(options.apiUrl)
        ? []
        : [{ path: ['apiUrl'], message: 'bad url' }]),
      ...(typeof options.hangUpTimeoutMs === 'number' && options.hangUpTimeoutMs > 0
        ? []
        : [{ path: ['hangUpTimeoutMs'], message: 'must be positive' }]),
    ];
    return issues.length === 0 ? { success: true, data: options } : { success: false, error: { issues } };
  },
} as unknown as CarrierPlugin<ToyOptions>['options'];

function toyControl(options: ToyOptions, logger: Logger, leaky: boolean): CallControl {
  return {
    carrier: 'toy',
    hangUp(callId) {
      const credentials = Buffer.from(`${options.authId}:${options.authToken}`).toString('base64');
      if (leaky) logger.debug({ header: `Basic ${credentials}` }, 'toy: sending');
      return hangUpOverRest({
        carrier: 'toy',
        callId,
        logger: leaky
          ? { ...logger, error: (_fields, message) => logger.error(`${message} with Basic ${credentials}`) }
          : logger,
        deadlineMs: options.hangUpTimeoutMs,
        secrets: [options.authToken, credentials],
        request: (id) => ({
          method: 'DELETE',
          url: `${options.apiUrl}/v1/Account/${options.authId}/Call/${id}/`,
          headers: { authorization: `Basic ${credentials}` },
        }),
      });
    },
  };
}

function toySerializer(): FrameSerializer {
  return {
    carrier: 'toy',
    async setup() {},
    async serialize() {
      return undefined;
    },
    async deserialize(data): Promise<Frame | undefined> {
      if (typeof data !== 'string') return undefined;
      let message: { event?: unknown; digit?: unknown; payload?: unknown } | null;
      try {
        message = JSON.parse(data);
      } catch {
        return undefined;
      }
      if (typeof message !== 'object' || message === null) return undefined;
      if (message.event === 'dtmf' && isDtmfDigit(message.digit)) return inputDtmfFrame(message.digit);
      if (message.event === 'media' && typeof message.payload === 'string') {
        const bytes = Buffer.from(message.payload, 'base64');
        const pcm = new Int16Array(bytes.length >> 1);
        for (let index = 0; index < pcm.length; index += 1) pcm[index] = bytes.readInt16LE(index * 2);
        return pcm.length > 0 ? inputAudioFrame(pcm, 8000) : undefined;
      }
      return undefined;
    },
  };
}

function toyHarness(leaky: boolean): CarrierHarness<ToyOptions> {
  const plugin: CarrierPlugin<ToyOptions> = {
    name: leaky ? 'leakytoy' : 'toy',
    options: toyOptionsSchema,
    register(container, options) {
      container.register(callControlToken(plugin.name), {
        useFactory: (scope) => toyControl(options, scope.resolve(LOGGER), leaky),
      });
      container.register(serializerFactoryToken(plugin.name), { useValue: () => toySerializer() });
    },
  };
  return {
    plugin,
    wireSampleRate: 8000,
    wireCodec: 'l16',
    supports: {
      dtmf: true,
      clear: false,
      checkpoint: false,
      outputDtmf: false,
      hangUp: true,
      transportMessage: false,
    },
    startApi: () => startFakePlivoApi({ authId: AUTH_ID, authToken: AUTH_TOKEN }),
    options: ({ apiUrl, hangUpTimeoutMs }) => ({
      authId: AUTH_ID,
      authToken: AUTH_TOKEN,
      apiUrl,
      hangUpTimeoutMs,
    }),
    secrets: [AUTH_TOKEN],
    call: ({ callId, streamId }) => ({ callId, streamId }),
    wire: {
      media: (_call, pcm) =>
        JSON.stringify({
          event: 'media',
          payload: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64'),
        }),
      dtmf: (_call, digit) => JSON.stringify({ event: 'dtmf', digit }),
    },
    read: { audio: () => undefined, isClear: () => false },
    hangUpRequest: { method: 'DELETE', path: (callId) => `/v1/Account/${AUTH_ID}/Call/${callId}/` },
  };
}

const toy = toyHarness(false) as CarrierHarness;
const leaky = toyHarness(true) as CarrierHarness;

describeHangUpFaultMatrix(toy);
describeSecretsCheck(toy);
itFuzzesDeserialize(toy, { runs: 500, seed: 1 });

describe('the reliability suites catch what they look for', () => {
  it('builds seeds from the harness: media of several lengths and all sixteen DTMF keys', () => {
    const seeds = harnessSeeds(toy);
    expect(seeds.filter((seed) => String(seed).includes('"dtmf"'))).toHaveLength(16);
    expect(seeds.filter((seed) => String(seed).includes('"media"')).length).toBeGreaterThanOrEqual(6);
  });

  it('finds the credential a leaky carrier logs, in any encoding', async () => {
    const run = await runHangUp(leaky, { fault: { status: 401 } }, 500);
    const leaks = findLeaks(visibleTexts(run), secretForms(leaky.secrets, run.authorizationHeaders));
    expect(leaks.length).toBeGreaterThanOrEqual(1);
    expect(leaks.join('\n')).toContain('<secret>');
    expect(leaks.join('\n')).not.toContain(AUTH_TOKEN);
  });

  it('counts failure lines and requests of a run', async () => {
    const run = await runHangUp(toy, { fault: { status: 500 } }, 500);
    expect(run.result?.outcome).toBe('failed');
    expect(failureLines(run)).toHaveLength(1);
    expect(run.requests).toBeGreaterThanOrEqual(2);
  });
});
