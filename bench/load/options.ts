/** Command-line options of the load test. */
export interface LoadTestOptions {
  /** Concurrent calls per step, one fresh server per step. */
  readonly calls: readonly number[];
  /** Seconds of real-time media per call. */
  readonly seconds: number;
  readonly warmupFrames: number;
  readonly drainMs: number;
  readonly connectConcurrency: number;
  /** `simulator`: `@callwire/testing`'s `startSimulatedCall`; `lean`: the bench's own minimal client. */
  readonly client: 'simulator' | 'lean' | 'auto';
  /**
   * The carrier (or harness label) whose calls are simulated; unset: the first carrier found under
   * packages/ whose harness streams G.711 at 8 kHz with no outbound framing.
   */
  readonly carrier: string | undefined;
  /** Server command, `{port}` replaced by a free loopback port. */
  readonly serverCommand: readonly string[] | undefined;
  /** Run every step once per count with `callwire serve --workers N` (node:cluster); unset: the CLI's default. */
  readonly workers: readonly number[] | undefined;
  /** Run every step with Prometheus metrics off, on (`callwire serve --metrics`), or both, in that order. */
  readonly metrics: readonly boolean[];
  /**
   * Pipeline sample rates (Hz) of the rate pass, which runs after the default server's steps: each
   * rate's steps against bench/load/echo-at-rate.mjs (the echo bot with that `pipelineSampleRate`),
   * comparing CPU per frame pair with the lowest rate's (issue 20). Default 8, 16, 24 and 48 kHz;
   * `undefined` (`--pipeline-rate off`) skips the pass.
   */
  readonly pipelineRates: readonly number[] | undefined;
  /** Calls per step of the rate pass; default: the smallest `calls` value. */
  readonly rateCalls: readonly number[] | undefined;
  /** Rounds of the rate pass (ascending, then descending order); each rate's median counts. */
  readonly rateRounds: number;
  /** Run the rate pass alone, without the default server's steps. */
  readonly ratesOnly: boolean;
  /** Calls of the baseline step against a bare `ws` echo (bench/load/bare-echo-server.mjs); 0 skips it. */
  readonly baselineCalls: number | undefined;
  /** Write the results into bench/results.json under `load`. */
  readonly write: boolean;
}

export const LOAD_USAGE = `usage: pnpm bench:load [-- options]
  --calls 100,300,1000     concurrent calls per step (one fresh server per step)
  --seconds 5              seconds of real-time media per call (50 frames/s each way)
  --warmup-frames 50       frames per call left out of the latency figures
  --drain-ms 1000          wait for the last echoes, ms
  --connect-concurrency 50 calls connecting at once
  --carrier <name>         the carrier the calls speak, through its harness (default: the first carrier
                           found under packages/ streaming G.711 at 8 kHz with no outbound framing)
  --client auto|simulator|lean
  --server-cmd "<cmd with {port}>"  default: node packages/cli/dist/bin.js serve --host 127.0.0.1
                           --port {port} --bot echo --log-level warn (callwire serve)
  --workers 1,2            run every step once per count with callwire serve --workers N (node:cluster),
                           e.g. one process vs two in the same run (--cluster N: the same as --workers N)
  --metrics off,on         run every step without and with callwire serve --metrics (default both:
                           capacity per core with and without metrics, and what metrics cost)
  --pipeline-rate 8000,16000,24000,48000  after the default server's steps, the rate pass: steps at
                           each pipeline rate (Hz) against bench/load/echo-at-rate.mjs, printing CPU per
                           echoed frame pair vs the lowest rate and 24 kHz / 8 kHz (default these four
                           rates; off skips the pass)
  --rate-calls 100         calls per step of the rate pass (default: the smallest --calls value)
  --rate-rounds 2          rounds of the rate pass, rates ascending then descending; each rate's
                           median over the rounds counts
  --rates-only             the rate pass alone
  --baseline-calls 100     calls of the baseline step against a bare ws echo (default: the first
                           --calls value; 0 skips it)
  --no-write               do not update bench/results.json`;

/** The pipeline rates (Hz) of the rate pass unless told otherwise: issue 20's four. */
export const DEFAULT_PIPELINE_RATES: readonly number[] = [8000, 16_000, 24_000, 48_000];

function positiveNumber(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number, got ${text}`);
  return value;
}

/** Parses `argv` (without node and script); throws with a message naming the bad flag. */
export function parseLoadOptions(
  argv: readonly string[],
  defaults: Partial<LoadTestOptions> = {},
): LoadTestOptions {
  let options: LoadTestOptions = {
    calls: [100, 300, 1000],
    seconds: 5,
    warmupFrames: 50,
    drainMs: 1000,
    connectConcurrency: 50,
    client: 'auto',
    carrier: undefined,
    serverCommand: undefined,
    workers: undefined,
    metrics: [false, true],
    pipelineRates: DEFAULT_PIPELINE_RATES,
    rateCalls: undefined,
    rateRounds: 2,
    ratesOnly: false,
    baselineCalls: undefined,
    write: true,
    ...defaults,
  };
  const args = argv.filter((arg) => arg !== '--');
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    switch (flag) {
      case '--calls':
        options = {
          ...options,
          calls: (value ?? '').split(',').map((part) => Math.round(positiveNumber('--calls', part))),
        };
        i++;
        break;
      case '--seconds':
        options = { ...options, seconds: positiveNumber(flag, value) };
        i++;
        break;
      case '--warmup-frames':
        options = { ...options, warmupFrames: Math.max(0, Math.round(Number(value) || 0)) };
        i++;
        break;
      case '--drain-ms':
        options = { ...options, drainMs: positiveNumber(flag, value) };
        i++;
        break;
      case '--connect-concurrency':
        options = { ...options, connectConcurrency: Math.round(positiveNumber(flag, value)) };
        i++;
        break;
      case '--client':
        if (value !== 'simulator' && value !== 'lean' && value !== 'auto') {
          throw new Error(`--client must be auto, simulator or lean, got ${value}`);
        }
        options = { ...options, client: value };
        i++;
        break;
      case '--carrier':
        if (!value || value.startsWith('--')) throw new Error('--carrier needs a carrier name');
        options = { ...options, carrier: value };
        i++;
        break;
      case '--server-cmd':
        if (!value?.includes('{port}')) throw new Error('--server-cmd must contain {port}');
        options = { ...options, serverCommand: value.split(' ').filter(Boolean) };
        i++;
        break;
      case '--workers':
      case '--cluster':
        options = {
          ...options,
          workers: (value ?? '').split(',').map((part) => Math.round(positiveNumber(flag, part))),
        };
        i++;
        break;
      case '--metrics': {
        const modes = (value ?? '').split(',');
        if (modes.length === 0 || modes.some((mode) => mode !== 'off' && mode !== 'on')) {
          throw new Error(`--metrics must be off, on or off,on, got ${value}`);
        }
        options = { ...options, metrics: modes.map((mode) => mode === 'on') };
        i++;
        break;
      }
      case '--pipeline-rate':
      case '--pipeline-rates':
        options = {
          ...options,
          pipelineRates:
            value === 'off'
              ? undefined
              : (value ?? '').split(',').map((part) => Math.round(positiveNumber(flag, part))),
        };
        i++;
        break;
      case '--rate-calls':
        options = {
          ...options,
          rateCalls: (value ?? '').split(',').map((part) => Math.round(positiveNumber(flag, part))),
        };
        i++;
        break;
      case '--rate-rounds':
        options = { ...options, rateRounds: Math.round(positiveNumber(flag, value)) };
        i++;
        break;
      case '--rates-only':
        options = { ...options, ratesOnly: true };
        break;
      case '--baseline-calls':
        options = { ...options, baselineCalls: Math.max(0, Math.round(Number(value) || 0)) };
        i++;
        break;
      case '--no-write':
        options = { ...options, write: false };
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  if (options.ratesOnly && !options.pipelineRates)
    throw new Error('--rates-only needs --pipeline-rate rates');
  const frames = Math.round(options.seconds * 50);
  if (options.warmupFrames >= frames) {
    options = { ...options, warmupFrames: Math.floor(frames / 5) };
  }
  return options;
}
