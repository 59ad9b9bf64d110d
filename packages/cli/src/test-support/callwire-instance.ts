import { type CliRun, runCli } from './cli-process.js';
import { type PrometheusSample, parsePrometheusText } from './prometheus-text.js';
import { CLI_STREAM_SECRET } from './stream-token.js';
import { waitFor } from './wait-for.js';

/** One `callwire serve --bot echo --metrics` process on a fixed loopback port. */
export interface CallwireInstance {
  readonly port: number;
  readonly running: CliRun;
  /** Ids of the calls this instance started, from its `call started` log lines. */
  callIds(): string[];
  /** Its `/metrics`, scraped directly (not through the balancer). */
  scrape(): Promise<PrometheusSample[]>;
  /** Its `/readyz` status. */
  readyStatus(): Promise<number>;
  /** SIGKILLs it if it still runs. */
  kill(): void;
}

/** Starts an instance on `port` whose answer XML points at `publicUrl`, and waits for its banner. */
export async function startCallwireInstance(
  port: number,
  publicUrl: string,
  drainTimeoutSeconds = 300,
): Promise<CallwireInstance> {
  const running = runCli(
    [
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--bot',
      'echo',
      '--metrics',
      '--drain-timeout',
      String(drainTimeoutSeconds),
    ],
    // Every instance behind the balancer shares one stream secret, as a deployment must.
    { PUBLIC_URL: publicUrl, CALLWIRE_STREAM_SECRET: CLI_STREAM_SECRET },
  );
  await waitFor(`callwire serve on ${port}`, () => {
    if (running.child.exitCode !== null) throw new Error(`exited: ${running.output()}`);
    return running.output().includes(`on port ${port}`) || undefined;
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    port,
    running,
    callIds: () =>
      running
        .logs()
        .filter((entry) => entry.msg === 'call started')
        .map((entry) => String(entry.callId)),
    scrape: async () => parsePrometheusText(await (await fetch(`${base}/metrics`)).text()),
    readyStatus: async () => (await fetch(`${base}/readyz`)).status,
    kill: () => {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    },
  };
}
