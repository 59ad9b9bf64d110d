import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CallwireError } from '@callwire/core';
import type { CallHandler } from '@callwire/server';
import { echoBot } from './echo.js';
import { isBotModulePath } from './flags.js';

/** Bots by the name `--bot` gives them. */
export type Bots = Readonly<Record<string, CallHandler>>;

/** The bots every `callwire serve` knows. */
export const builtInBots: Bots = { echo: echoBot };

/**
 * The handler `--bot` names: one of `bots`, or the default export of the module at that path (relative to
 * the working directory). Throws `CallwireError('CONFIG')` when the module has no function as default export.
 */
export async function loadBot(bot: string, bots: Bots): Promise<CallHandler> {
  const named = Object.hasOwn(bots, bot) ? bots[bot] : undefined;
  if (named) return named;
  if (!isBotModulePath(bot)) throw new CallwireError('CONFIG', `[cli] no bot named ${bot}`);
  let loaded: { default?: unknown };
  try {
    loaded = await import(pathToFileURL(resolve(bot)).href);
  } catch (error) {
    throw new CallwireError('CONFIG', `[cli] --bot ${bot}: cannot import the module`, { cause: error });
  }
  if (typeof loaded.default !== 'function') {
    throw new CallwireError(
      'CONFIG',
      `[cli] --bot ${bot}: the default export must be a CallHandler function`,
    );
  }
  return loaded.default as CallHandler;
}
