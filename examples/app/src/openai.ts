import { CallwireError } from '@callwire/core';
import { callTools, createRealtimeTransport } from '@callwire/openai-realtime';
import type { CallHandler } from '@callwire/server';
import { RealtimeAgent, RealtimeSession } from '@openai/agents-realtime';
import { callerName } from './ivr.js';

/** What the openai bot reads from the environment. */
export interface OpenAiBotSettings {
  /** `OPENAI_API_KEY`. */
  readonly apiKey: string;
  /** `OPENAI_REALTIME_URL`: another Realtime endpoint (a proxy, Azure, a test's fake). */
  readonly url?: string | undefined;
  /** `OPENAI_REALTIME_MODEL`. @default the SDK's */
  readonly model?: string | undefined;
}

/** The bot's settings from `env`; throws `CallwireError('CONFIG')` naming `OPENAI_API_KEY` when it is missing. */
export function openAiBotSettings(env: NodeJS.ProcessEnv): OpenAiBotSettings {
  const apiKey = env.OPENAI_API_KEY;
  if (!apiKey) throw new CallwireError('CONFIG', '[openai] the openai bot needs OPENAI_API_KEY');
  return { apiKey, url: env.OPENAI_REALTIME_URL || undefined, model: env.OPENAI_REALTIME_MODEL || undefined };
}

/**
 * A phone agent on OpenAI's Realtime API: greets the caller, talks, hears keypad presses, and hangs up
 * when the conversation is over (the `hang_up` tool, once its goodbye was heard).
 */
export function createOpenAiBot(settings: OpenAiBotSettings): CallHandler {
  return async (call) => {
    const transport = createRealtimeTransport(call, { url: settings.url, model: settings.model });
    const agent = new RealtimeAgent({
      name: 'Callwire phone agent',
      instructions: [
        'You answer a phone call. Be brief and friendly; this is a voice conversation.',
        `Greet the caller, ${callerName(call)}, and ask how you can help.`,
        'Messages in square brackets tell you which phone keys the caller pressed.',
        'When the caller is done, say goodbye, then call hang_up.',
      ].join(' '),
      tools: callTools(call, { beforeHangUp: () => transport.playedOut() }),
    });
    const session = new RealtimeSession(agent, { transport });
    await session.connect({ apiKey: settings.apiKey });
    // The agent speaks first, as a person answering the phone does.
    transport.requestResponse();
    await call.closed;
  };
}
