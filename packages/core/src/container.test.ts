import type { DependencyContainer } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import type { CallControl, HangUpResult } from './call-control.js';
import {
  canHangUp,
  createCallwireContainer,
  createSerializer,
  createWireSerializer,
  hangUpOnceFor,
  registerCarrier,
  registeredCarriers,
  resolveCallControl,
} from './container.js';
import { CallwireError } from './errors.js';
import { type Frame, inputDtmfFrame, type StartFrame } from './frames.js';
import { LOGGER, type Logger } from './logger.js';
import type { CallInfo, CarrierPlugin } from './plugin.js';
import type { WireSerializer } from './serializer.js';
import { CALL_INFO, callControlToken, serializerFactoryToken } from './tokens.js';

// A tiny carrier that speaks "D:<digit>" on the wire and counts frames per call.
const toyOptions = z.object({
  apiKey: z.string().min(1).optional(),
  timeoutMs: z.number().int().positive().default(1000),
  region: z.enum(['us', 'eu']).default('us'),
});

class ToyCallControl implements CallControl {
  readonly carrier = 'toy';
  readonly hungUp: string[] = [];
  async hangUp(callId: string): Promise<HangUpResult> {
    this.hungUp.push(callId);
    return { outcome: 'ended' };
  }
}

class ToySerializer implements WireSerializer {
  readonly carrier = 'toy';
  readonly streamId: string;
  readonly callId: string | undefined;
  readonly autoHangUp: boolean;
  sent = 0;
  constructor(
    readonly call: CallInfo,
    readonly control: CallControl,
    readonly logger: Logger,
    readonly scope: DependencyContainer,
  ) {
    this.streamId = call.streamId;
    this.callId = call.callId;
    this.autoHangUp = call.params?.autoHangUp !== false && call.callId !== undefined;
  }
  setup(_start: StartFrame): void {}
  serialize(frame: Frame): string[] {
    this.sent += 1;
    return frame.type === 'end' ? ['bye'] : [];
  }
  deserialize(data: string | Uint8Array): Frame[] {
    if (typeof data !== 'string' || !data.startsWith('D:')) return [];
    return [inputDtmfFrame(data.slice(2))];
  }
}

const toy: CarrierPlugin<z.input<typeof toyOptions>, z.output<typeof toyOptions>> = {
  name: 'toy',
  options: toyOptions,
  register(container, _options) {
    const control = new ToyCallControl();
    container.register(callControlToken('toy'), { useValue: control });
    container.register(serializerFactoryToken('toy'), {
      useValue: (call: CallInfo, scope: DependencyContainer) =>
        new ToySerializer(call, scope.resolve(callControlToken('toy')), scope.resolve(LOGGER), scope),
    });
  },
};

function configError(fn: () => unknown): CallwireError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallwireError);
    return error as CallwireError;
  }
  throw new Error('expected a CallwireError');
}

describe('registerCarrier', () => {
  it('returns options with defaults filled in', () => {
    const container = createCallwireContainer();
    expect(registerCarrier(container, toy, { apiKey: 'k' })).toEqual({
      apiKey: 'k',
      timeoutMs: 1000,
      region: 'us',
    });
    expect(registeredCarriers(container).map((plugin) => plugin.name)).toEqual(['toy']);
  });

  it('names every bad field in one CONFIG error', () => {
    const container = createCallwireContainer();
    const error = configError(() =>
      registerCarrier(container, toy, { apiKey: '', timeoutMs: -5, region: 'mars' } as unknown as z.input<
        typeof toyOptions
      >),
    );
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/^\[toy\] invalid options:/);
    expect(error.message).toContain('apiKey');
    expect(error.message).toContain('timeoutMs');
    expect(error.message).toContain('region');
  });

  it('does not echo a bad secret value in the error', () => {
    const schema = z.object({ authToken: z.string().length(32) });
    const plugin: CarrierPlugin<{ authToken: string }> = {
      name: 'secretive',
      options: schema,
      register() {},
    };
    const error = configError(() =>
      registerCarrier(createCallwireContainer(), plugin, { authToken: 'hunter2-short' }),
    );
    expect(error.message).toContain('authToken');
    expect(error.message).not.toContain('hunter2');
  });

  it('keeps carriers of different containers apart', () => {
    const first = createCallwireContainer();
    const second = createCallwireContainer();
    registerCarrier(first, toy, {});
    expect(registeredCarriers(second)).toEqual([]);
    expect(() => createSerializer(second, 'toy', { streamId: 's' })).toThrow(CallwireError);
  });
});

describe('createSerializer', () => {
  it('refuses an unknown carrier and lists the registered ones', () => {
    const container = createCallwireContainer();
    registerCarrier(container, toy, {});
    const error = configError(() => createSerializer(container, 'nowhere', { streamId: 's' }));
    expect(error.code).toBe('UNKNOWN_CARRIER');
    expect(error.message).toContain('"nowhere"');
    expect(error.message).toContain('registered: toy');
    expect(
      configError(() => createSerializer(createCallwireContainer(), 'toy', { streamId: 's' })).message,
    ).toContain('(none)');
  });

  it('refuses an empty stream id', () => {
    const container = createCallwireContainer();
    registerCarrier(container, toy, {});
    expect(configError(() => createSerializer(container, 'toy', { streamId: '' })).code).toBe('CONFIG');
  });

  it('gives each call its own serializer and scope but one shared CallControl', async () => {
    const container = createCallwireContainer();
    registerCarrier(container, toy, {});
    const first = createWireSerializer(container, 'toy', { streamId: 's1', callId: 'c1' }) as ToySerializer;
    const second = createWireSerializer(container, 'toy', { streamId: 's2', callId: 'c2' }) as ToySerializer;
    expect(first).not.toBe(second);
    expect(first.scope).not.toBe(second.scope);
    expect(first.scope.resolve(CALL_INFO)).toEqual({ streamId: 's1', callId: 'c1' });
    expect(second.scope.resolve(CALL_INFO)).toEqual({ streamId: 's2', callId: 'c2' });
    expect(first.control).toBe(second.control);
    expect(first.control).toBe(resolveCallControl(container, 'toy'));

    expect(first.serialize({ type: 'end' })).toEqual(['bye']);
    expect(first.serialize({ type: 'interruption' })).toEqual([]);
    expect(first.sent).toBe(2);
    expect(second.sent).toBe(0);
    // The pure serializer never hangs up: whoever ends the call does, once.
    expect((first.control as ToyCallControl).hungUp).toEqual([]);
    const hangUp = hangUpOnceFor(container, first);
    expect(await hangUp()).toEqual({ outcome: 'ended' });
    expect(await hangUp()).toBeUndefined();
    expect((first.control as ToyCallControl).hungUp).toEqual(['c1']);
  });

  it("gives Pipecat's behaviour: end and cancel hang up once, with end's messages", async () => {
    const container = createCallwireContainer();
    registerCarrier(container, toy, {});
    const serializer = createSerializer(container, 'toy', { streamId: 's1', callId: 'c1' });
    const control = resolveCallControl(container, 'toy') as ToyCallControl;
    expect(await serializer.serialize({ type: 'end' })).toBe('bye');
    expect(await serializer.serialize({ type: 'cancel' })).toBeUndefined();
    expect(control.hungUp).toEqual(['c1']);
    expect(await serializer.deserialize('D:7')).toEqual({ type: 'input-dtmf', digit: '7' });
    expect(await serializer.deserialize('nonsense')).toBeUndefined();
  });

  it('does not hang up when the call turned auto hang-up off', async () => {
    const container = createCallwireContainer();
    registerCarrier(container, toy, {});
    const serializer = createSerializer(container, 'toy', {
      streamId: 's1',
      callId: 'c1',
      params: { autoHangUp: false },
    });
    await serializer.serialize({ type: 'end' });
    expect((resolveCallControl(container, 'toy') as ToyCallControl).hungUp).toEqual([]);
  });

  it('hands the container logger to serializers, replaceable by the user', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: (fields, message) => lines.push(String(message ?? fields)),
      error: () => {},
    };
    const container = createCallwireContainer({ logger });
    registerCarrier(container, toy, {});
    const serializer = createWireSerializer(container, 'toy', { streamId: 's' }) as ToySerializer;
    expect(serializer.logger).toBe(logger);
    expect(serializer.deserialize('D:5')).toEqual([{ type: 'input-dtmf', digit: '5' }]);
  });
});

describe('canHangUp', () => {
  it('asks the plugin with the options it was registered with, and says true when it does not say', () => {
    const container = createCallwireContainer();
    const judged: unknown[] = [];
    const picky: CarrierPlugin<{ key?: string }> = {
      name: 'picky',
      options: z.object({ key: z.string().optional() }),
      register() {},
      canHangUp: (options) => {
        judged.push(options);
        return options.key !== undefined;
      },
    };
    registerCarrier(container, picky, {});
    registerCarrier(container, toy, {});
    expect(canHangUp(container, 'picky')).toBe(false);
    expect(judged).toEqual([{}]);
    expect(canHangUp(container, 'toy')).toBe(true);
    const keyed = createCallwireContainer();
    registerCarrier(keyed, picky, { key: 'k' });
    expect(canHangUp(keyed, 'picky')).toBe(true);
    expect(() => canHangUp(keyed, 'toy')).toThrow(CallwireError);
  });
});
