import { createHmac } from 'node:crypto';
import {
  type CallInfo,
  type CarrierPlugin,
  callControlToken,
  callMetadata,
  checkpointReachedFrame,
  endFrame,
  type Frame,
  inputAudioFrame,
  inputDtmfFrame,
  isDtmfDigit,
  type StartFrame,
  serializerFactoryToken,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import { z } from 'zod/v4';

/** What the toy carrier saw, for assertions. */
export interface ToyRecord {
  readonly hungUp: string[];
  readonly setups: StartFrame[];
  readonly params: Readonly<Record<string, unknown>>[];
}

/** The toy carrier's signature: HMAC-SHA256 over url + body, hex, in `x-toy-signature`. */
export function toySignature(token: string, url: string, body = ''): string {
  return createHmac('sha256', token)
    .update(url + body)
    .digest('hex');
}

function json(message: WireMessage): Record<string, unknown> | undefined {
  if (typeof message !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(message);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A carrier speaking a tiny dialect: text `{"toy":"start",streamId,callId}` opens a call
 * (`{"toy":"hello"}` first means need-more), `{"toy":"dtmf",digit}`, `{"toy":"played",name}`,
 * `{"toy":"stop"}` and `{"toy":"ping"}` (answered with a pong); binary messages are raw 16-bit PCM
 * both ways; `interruption` is `{"toy":"clear"}`. `end` says bye; the runtime hangs up.
 */
export function createToyCarrier(): {
  plugin: CarrierPlugin<{ token?: string; credentials?: boolean }>;
  record: ToyRecord;
} {
  const record: ToyRecord = { hungUp: [], setups: [], params: [] };
  let token: string | undefined;

  function toySerializer(call: CallInfo): WireSerializer {
    let rate = 8000;
    record.params.push(call.params ?? {});
    return {
      carrier: 'toy',
      streamId: call.streamId,
      callId: call.callId,
      autoHangUp: call.callId !== undefined && call.params?.autoHangUp !== false,
      setup(start: StartFrame) {
        record.setups.push(start);
        rate = start.audioInSampleRate;
      },
      serialize(frame: Frame): WireMessage[] {
        switch (frame.type) {
          case 'output-audio':
            return [
              new Uint8Array(frame.audio.buffer, frame.audio.byteOffset, frame.audio.byteLength).slice(),
            ];
          case 'checkpoint':
            return [JSON.stringify({ toy: 'checkpoint', name: frame.name })];
          case 'interruption':
            return [JSON.stringify({ toy: 'clear' })];
          case 'output-dtmf':
            return [JSON.stringify({ toy: 'dtmf', digits: frame.digits })];
          case 'end':
          case 'cancel':
            return [JSON.stringify({ toy: 'bye' })];
          default:
            return [];
        }
      },
      deserialize(data: WireMessage, reply?: (message: WireMessage) => void): Frame[] {
        if (typeof data !== 'string') {
          if (data.byteLength % 2 !== 0) return [];
          return [inputAudioFrame(new Int16Array(data.slice().buffer), rate)];
        }
        const message = json(data);
        if (message?.toy === 'ping') reply?.(JSON.stringify({ toy: 'pong' }));
        if (message?.toy === 'dtmf' && isDtmfDigit(message.digit)) return [inputDtmfFrame(message.digit)];
        if (message?.toy === 'played' && typeof message.name === 'string' && message.name !== '') {
          return [checkpointReachedFrame(message.name)];
        }
        if (message?.toy === 'stop') return [endFrame()];
        return [];
      },
    };
  }

  const plugin: CarrierPlugin<{ token?: string; credentials?: boolean }> = {
    name: 'toy',
    options: z.object({ token: z.string().optional(), credentials: z.boolean().optional() }),
    // `credentials: false` plays a carrier registered without what its REST hang-up needs.
    canHangUp: (options) => options.credentials !== false,
    register(container, options) {
      token = options.token;
      container.register(callControlToken('toy'), {
        useValue: {
          carrier: 'toy',
          hangUp: async (callId: string) => {
            record.hungUp.push(callId);
            return { outcome: 'ended' };
          },
        },
      });
      container.register(serializerFactoryToken('toy'), {
        useValue: (call) => toySerializer(call),
      });
    },
    detect(message) {
      if (typeof message !== 'object' || message === null || message instanceof Uint8Array) return undefined;
      const fields = message as Record<string, unknown>;
      if (fields.toy === 'hello') return 'need-more';
      if (fields.toy !== 'start' || typeof fields.streamId !== 'string') return undefined;
      return {
        streamId: fields.streamId,
        callId: typeof fields.callId === 'string' ? fields.callId : undefined,
        params: {},
        metadata: callMetadata({ from: fields.from, customParameters: fields.custom, raw: message }),
      };
    },
    answer: (request) => ({ contentType: 'text/xml', body: `<Stream>${request.streamUrl}</Stream>` }),
    // The answer request names its call `CallUUID` (form body or query), as Plivo's does.
    answerCallId: (request) =>
      new URLSearchParams(request.body !== '' ? request.body : request.url.split('?')[1]).get('CallUUID') ??
      undefined,
    verifyWebhook(request) {
      if (token === undefined) return 'unchecked';
      const signature = request.headers['x-toy-signature'];
      if (signature === undefined) return 'missing';
      return signature === toySignature(token, request.url, request.body) ? 'valid' : 'invalid';
    },
  };
  return { plugin, record };
}
