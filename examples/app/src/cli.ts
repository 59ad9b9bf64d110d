import { runCli } from '@callwire/cli';
import { bots } from './bots.js';

/** `callwire serve` with the example bots as well (`pnpm serve --bot ivr`); returns the exit code. */
export function main(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return runCli(args, env, { bots });
}
