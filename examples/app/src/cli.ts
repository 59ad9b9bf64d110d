import { runCli } from '@callwire/cli';
import { bots } from './bots.js';
import { createIvrBot, IVR_TRANSFER_TO_ENV } from './ivr.js';

/**
 * `callwire serve` with the example bots as well (`pnpm serve --bot ivr`); the ivr bot transfers on `0`
 * to `CALLWIRE_IVR_TRANSFER_TO` when it is set. Returns the exit code (1 when that variable is not a
 * number or `sip:` URI).
 */
export async function main(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const transferTo = env[IVR_TRANSFER_TO_ENV] || undefined;
  let ivr: ReturnType<typeof createIvrBot>;
  try {
    ivr = createIvrBot(transferTo === undefined ? {} : { transferTo });
  } catch (error) {
    process.stderr.write(`callwire: cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  return runCli(args, env, { bots: { ...bots, ivr } });
}
