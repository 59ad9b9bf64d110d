import { runCli, startFailureText } from '@callwire/cli';
import type { CallHandler } from '@callwire/server';
import { bots } from './bots.js';
import { createIvrBot, IVR_TRANSFER_TO_ENV } from './ivr.js';
import { createOpenAiBot, openAiBotSettings } from './openai.js';

/** The value of `--bot` in `args` (`--bot x` or `--bot=x`; the last one wins), if any. */
function botFlag(args: readonly string[]): string | undefined {
  let bot: string | undefined;
  args.forEach((arg, index) => {
    if (arg === '--bot') bot = args[index + 1];
    else if (arg.startsWith('--bot=')) bot = arg.slice('--bot='.length);
  });
  return bot;
}

/** Says why the server cannot start, as `callwire serve` does; the exit code for it. */
function cannotStart(error: unknown): number {
  process.stderr.write(`callwire: cannot start: ${startFailureText(error)}\n`);
  return 1;
}

/**
 * `callwire serve` with the example bots as well (`pnpm serve --bot ivr`); returns the exit code. The ivr
 * bot transfers on `0` to `CALLWIRE_IVR_TRANSFER_TO` when it is set (1 when that variable is not a number
 * or `sip:` URI). `--bot openai` needs `OPENAI_API_KEY` (checked at start-up) and takes `OPENAI_REALTIME_URL`.
 */
export async function main(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  const transferTo = env[IVR_TRANSFER_TO_ENV] || undefined;
  let ivr: ReturnType<typeof createIvrBot>;
  try {
    ivr = createIvrBot(transferTo === undefined ? {} : { transferTo });
  } catch (error) {
    return cannotStart(error);
  }
  let openai: CallHandler;
  try {
    openai = createOpenAiBot(openAiBotSettings(env));
  } catch (error) {
    if (botFlag(args) === 'openai') return cannotStart(error);
    // Listed all the same (`--help`); never run: without the key, `--bot openai` stops above.
    openai = async (call) => call.logger.error('[openai] the openai bot needs OPENAI_API_KEY');
  }
  return runCli(args, env, { bots: { ...bots, ivr, openai } });
}
