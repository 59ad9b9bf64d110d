import type { TransferTarget } from '@callwire/core';
import type { Call } from '@callwire/server';
import { type FunctionTool, type RealtimeContextData, tool } from '@openai/agents-realtime';
import { z } from 'zod/v4';

/** Options of `callTools`. */
export interface CallToolsOptions {
  /**
   * Where the agent may transfer the call, by name: `{ sales: '+14155550100' }` (or a `TransferTarget`,
   * for a SIP URI or a caller id). The model picks a name, never a number, so it cannot be talked into
   * dialling one (toll fraud). Without it, there is no transfer tool.
   */
  readonly transferTargets?: Readonly<Record<string, string | TransferTarget>>;
  /**
   * Hang up only once the audio already queued for the caller (the goodbye) was heard, as this
   * resolves; pass `() => transport.playedOut()`. @default hang up at once
   */
  readonly beforeHangUp?: () => Promise<unknown>;
}

/**
 * A tool `callTools` makes, for a `RealtimeAgent` whose context is `TContext`: a function tool answering
 * the model in text. Its parameters type is left open as in the SDK's own `Tool` union, so tools with
 * different parameters sit in one `tools` array.
 */
// biome-ignore lint/suspicious/noExplicitAny: the SDK's Tool type is FunctionTool<Context, any, any>
export type CallTool<TContext = unknown> = FunctionTool<RealtimeContextData<TContext>, any, string>;

/**
 * Agent tools backed by the call: `hang_up` ends it through the carrier (after `beforeHangUp`), and
 * `transfer_call` (with `transferTargets`) hands it to one of the named destinations (`call.transfer`).
 */
export function callTools<TContext = unknown>(
  call: Call,
  options: CallToolsOptions = {},
): CallTool<TContext>[] {
  const hangUp = tool<z.ZodObject, RealtimeContextData<TContext>, string>({
    name: 'hang_up',
    description:
      'End the phone call. Use it after saying goodbye, when the caller is done or asks to hang up.',
    parameters: z.object({}),
    execute: async () => {
      call.logger.info('openai: the agent hangs up');
      // The tool's answer goes back to the model first; the call ends once the goodbye was heard.
      void Promise.resolve(options.beforeHangUp?.())
        .catch(() => undefined)
        .then(() => call.hangUp());
      return 'The call is ending.';
    },
  });
  const targets = options.transferTargets ?? {};
  const names = Object.keys(targets);
  const [first, ...rest] = names;
  if (first === undefined) return [hangUp];
  const destinationSchema = z.object({ destination: z.enum([first, ...rest]) });
  const transfer = tool<typeof destinationSchema, RealtimeContextData<TContext>, string>({
    name: 'transfer_call',
    description: `Transfer the caller to another line. Destinations: ${names.join(', ')}.`,
    parameters: destinationSchema,
    execute: async ({ destination }) => {
      const target = targets[destination];
      if (target === undefined) return `Unknown destination ${destination}.`;
      const result = await call.transfer(typeof target === 'string' ? { to: target } : target);
      if (result.outcome === 'transferred') {
        call.logger.info({ destination }, 'openai: the agent transferred the call');
        return `The call was transferred to ${destination}.`;
      }
      call.logger.warn(
        { destination, outcome: result.outcome, reason: result.reason },
        'openai: transfer not done',
      );
      return result.outcome === 'unsupported'
        ? 'Transfer is unsupported on this call.'
        : 'The transfer failed.';
    },
  });
  return [hangUp, transfer];
}
