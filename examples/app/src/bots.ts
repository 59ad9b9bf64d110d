import type { CallHandler } from '@callwire/server';
import { echoBot } from './echo.js';
import { ivrBot } from './ivr.js';

/** The bots `callwire serve --bot <name>` can run. */
export const bots = { echo: echoBot, ivr: ivrBot } as const satisfies Record<string, CallHandler>;

export type BotName = keyof typeof bots;

/** True when `name` is one of `bots`. */
export function isBotName(name: string): name is BotName {
  return Object.hasOwn(bots, name);
}
