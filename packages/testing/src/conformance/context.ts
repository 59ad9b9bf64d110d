import { randomUUID } from 'node:crypto';
import {
  type CallInfo,
  createCallwireContainer,
  createWireSerializer,
  type Frame,
  hangUpOnceFor,
  type Logger,
  registerCarrier,
  startFrame,
  type WireMessage,
  type WireSerializer,
} from '@callwire/core';
import { startFakeCarrierApi } from '../fake-api/server.js';
import type { FakeCarrierApi } from '../fake-api/types.js';
import type { CarrierHarness } from '../harness.js';
import { type LogRecord, recordingLogger } from '../logger.js';

/**
 * One call opened by the suite, driven the way the runtime drives it: the carrier's pure serializer,
 * every message it produces, and the hang-up once through the carrier's `CallControl` at the end.
 */
export interface ConformanceCall {
  readonly info: CallInfo;
  /** Pipeline rate (Hz) the serializer was set up with. */
  readonly sampleRate: number;
  readonly serializer: WireSerializer;
  /** Log calls of this call's container. */
  readonly logs: LogRecord[];
  /** Protocol replies the carrier sent while deserializing, in order. */
  readonly replies: WireMessage[];
  /**
   * Every message `frame` puts on the wire (each checked against `harness.read.problem`); `end` and
   * `cancel` then hang up once, as the runtime does. A throw becomes a descriptive failure.
   */
  serialize(frame: Frame): Promise<WireMessage[]>;
  /** Every frame a carrier message yields (replies collected in `replies`), likewise. */
  deserialize(message: WireMessage): Promise<Frame[]>;
  /** Warnings and errors logged for this call. */
  warnings(): LogRecord[];
}

/** What the suite shares between its tests: the fake API, every log line and every thrown message. */
export interface ConformanceContext {
  readonly harness: CarrierHarness<unknown, unknown>;
  /** The carrier's fake REST API, or an empty one (every request recorded, answered 404). */
  readonly api: FakeCarrierApi;
  /** Hang-up deadline (ms) passed to `harness.options`. */
  readonly hangUpTimeoutMs: number;
  /** Every log call of every call opened so far. */
  readonly logs: LogRecord[];
  /** Messages of every error a carrier threw (they must not hold a secret either). */
  readonly thrownMessages: string[];
  /** Opens a call: a fresh container with a recording logger, the carrier registered, a serializer set up. */
  openCall(input: { sampleRate: number; autoHangUp?: boolean; callId?: string }): Promise<ConformanceCall>;
  /** The requests the fake API received for `callId`'s hang-up route. */
  hangUpRequests(callId: string): RecordedHangUp[];
  close(): Promise<void>;
}

/** A recorded request on the hang-up route. */
export type RecordedHangUp = FakeCarrierApi['requests'][number];

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Options of `createConformanceContext`. */
export interface ConformanceContextOptions {
  /** Hang-up deadline in ms (default 300): short, so stalls are seen quickly. */
  readonly hangUpTimeoutMs?: number;
}

/**
 * Starts what the suite needs for `harness`: its fake API (or an empty one when the carrier does not
 * hang up), and a factory of calls that record their logs.
 */
export async function createConformanceContext(
  harness: CarrierHarness<unknown, unknown>,
  options: ConformanceContextOptions = {},
): Promise<ConformanceContext> {
  const hangUpTimeoutMs = options.hangUpTimeoutMs ?? 300;
  const api =
    harness.supports.hangUp && harness.startApi ? await harness.startApi() : await startFakeCarrierApi([]);
  const logs: LogRecord[] = [];
  const thrownMessages: string[] = [];

  const guard = async <T>(what: string, action: () => Promise<T>): Promise<T> => {
    try {
      return await action();
    } catch (error) {
      thrownMessages.push(describeError(error));
      throw new Error(
        `[${harness.plugin.name}] ${what} threw (it must never throw): ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  };

  return {
    harness,
    api,
    hangUpTimeoutMs,
    logs,
    thrownMessages,
    async openCall({ sampleRate, autoHangUp = false, callId = randomUUID() }) {
      const streamId = randomUUID();
      const callLogs: LogRecord[] = [];
      const record = recordingLogger({ sink: callLogs, streamId });
      const both = recordingLogger({ sink: logs, streamId });
      const tee =
        (level: LogRecord['level']): Logger[LogRecord['level']] =>
        (fieldsOrMessage, message) => {
          record[level](fieldsOrMessage, message);
          both[level](fieldsOrMessage, message);
        };
      const logger: Logger = {
        debug: tee('debug'),
        info: tee('info'),
        warn: tee('warn'),
        error: tee('error'),
      };
      const container = createCallwireContainer({ logger });
      const info = harness.call({ callId, streamId, sampleRate, autoHangUp });
      const serializer = await guard('registerCarrier/createWireSerializer', async () => {
        registerCarrier(container, harness.plugin, harness.options({ apiUrl: api.url, hangUpTimeoutMs }));
        return createWireSerializer(container, harness.plugin.name, info);
      });
      const hangUpOnce = hangUpOnceFor(container, serializer);
      await guard('setup(start)', async () =>
        serializer.setup(startFrame({ audioInSampleRate: sampleRate, audioOutSampleRate: sampleRate })),
      );
      const replies: WireMessage[] = [];
      const checkSent = (frame: Frame, messages: WireMessage[]): WireMessage[] => {
        for (const message of messages) {
          const problem = harness.read.problem?.(message);
          if (problem !== undefined) {
            throw new Error(
              `[${harness.plugin.name}] serialize(${frame.type}) sent a message the carrier refuses: ${problem}`,
            );
          }
        }
        return messages;
      };
      const describeMessage = (message: WireMessage): string =>
        typeof message === 'string'
          ? JSON.stringify(
              message.length > 120 ? `${message.slice(0, 120)}…(${message.length} chars)` : message,
            )
          : `<${message.length} bytes>`;
      return {
        info,
        sampleRate,
        serializer,
        logs: callLogs,
        replies,
        serialize: async (frame) => {
          const messages = await guard(`serialize(${frame?.type})`, async () => serializer.serialize(frame));
          if (frame?.type === 'end' || frame?.type === 'cancel') await guard('hang-up', hangUpOnce);
          return checkSent(frame, messages);
        },
        deserialize: (message) =>
          guard(`deserialize(${describeMessage(message)})`, async () =>
            serializer.deserialize(message, (reply) => replies.push(reply)),
          ),
        warnings: () => callLogs.filter((entry) => entry.level === 'warn' || entry.level === 'error'),
      };
    },
    hangUpRequests(callId) {
      const path = harness.hangUpRequest?.path(callId);
      return api.requests.filter((request) => request.path === path || request.path.includes(callId));
    },
    close: () => api.close(),
  };
}

/**
 * Registers the carrier in a fresh container (logging to `logger`) and creates a serializer for a call
 * with auto hang-up on and no call id; returns what that threw (`undefined` when it did not refuse).
 */
export function createWithoutCallId(
  harness: CarrierHarness<unknown, unknown>,
  logger: Logger,
  options: { apiUrl: string; hangUpTimeoutMs: number },
): unknown {
  const container = createCallwireContainer({ logger });
  registerCarrier(container, harness.plugin, harness.options(options));
  const { callId: _dropped, ...withoutCallId } = harness.call({
    callId: randomUUID(),
    streamId: randomUUID(),
    sampleRate: 16000,
    autoHangUp: true,
  });
  try {
    createWireSerializer(container, harness.plugin.name, withoutCallId as CallInfo);
    return undefined;
  } catch (error) {
    return error;
  }
}
