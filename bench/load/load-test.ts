import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CarrierHarness, FakeCarrierApi } from '@callwire/testing';
import { discoverHarnesses } from '../carriers/harnesses.js';
import {
  type Capacity,
  callsPerCoreAt,
  capacityOf,
  type LoadStep,
  metricsCpuOverheadPercent,
  type PipelineRateCost,
  pipelineRateCosts,
  rateRoundOrder,
  TURNAROUND_P99_TARGET_MS,
} from './capacity.js';
import {
  bareEchoHarness,
  carrierEnvironmentVariables,
  pickLoadHarness,
  serverEnvironmentFor,
} from './carrier.js';
import { leanCall } from './lean-call.js';
import type { LoadClient } from './load-client.js';
import type { LoadTestOptions } from './options.js';
import { type LoadStepResult, runLoadStep } from './run-load.js';
import {
  BARE_ECHO_COMMAND,
  DEFAULT_SERVER_COMMAND,
  echoAtRateCommand,
  startServerProcess,
} from './server-process.js';
import { simulatorLoadClient } from './simulator-call.js';

/** The repository root (bench/load/ is two levels down). */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** What the `load` section of bench/results.json holds. */
export interface LoadSection {
  /** The carrier the calls spoke (its harness's label: name, wire codec and rate). */
  readonly carrier: string;
  readonly client: string;
  readonly serverCommand: string;
  readonly steps: readonly LoadStep[];
  /** The same client against a bare `ws` echo (JSON.parse + JSON.stringify only), in the same run. */
  readonly baseline: LoadStepResult | undefined;
  /** Server CPU per frame pair of the heaviest step over the baseline's. */
  readonly cpuPerFramePairVsBaseline: number | undefined;
  /** Targets from issue 10, per step. */
  readonly targets: { readonly turnaroundP99Ms: number; readonly idleMemoryPerCallKiB: number };
  /** Capacity of one process with metrics off and on (issue 17). */
  readonly capacity?: { readonly metricsOff?: Capacity; readonly metricsOn?: Capacity };
  /** Extra server CPU per frame pair with metrics on, % of metrics off, at the smallest step. */
  readonly metricsCpuOverheadPercent?: number;
  /** With `--pipeline-rate`: CPU per echoed frame pair at each pipeline rate (issue 20). */
  readonly pipelineRates?: readonly PipelineRateCost[];
  /** With 8000 and 24000 among the rates: CPU per frame pair at 24 kHz over 8 kHz (target ≤ 1.3). */
  readonly pipeline24kVs8k?: number;
}

/** Issue 20: a 24 kHz pipeline costs at most this many times the CPU per frame pair of an 8 kHz one. */
export const PIPELINE_24K_VS_8K_TARGET = 1.3;

const leanClient = (harness: CarrierHarness<unknown, unknown>): LoadClient => ({
  name: 'lean (bench/load/lean-call.ts)',
  runStep: (server, options) => runLoadStep(server, leanCall(harness), options),
});

async function pickClient(
  choice: LoadTestOptions['client'],
  harness: CarrierHarness<unknown, unknown>,
): Promise<LoadClient> {
  return choice === 'lean' ? leanClient(harness) : simulatorLoadClient(harness);
}

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export { callsPerCoreAt, type LoadStep };

/** A Markdown table of the steps. */
export function formatLoadTable(steps: readonly LoadStep[]): string {
  const workers = steps.some((step) => step.workers !== undefined);
  const metrics = steps.some((step) => step.metrics === true);
  const rates = steps.some((step) => step.pipelineRate !== undefined);
  const lines = [
    row([
      ...(rates ? ['pipeline Hz'] : []),
      ...(metrics ? ['metrics'] : []),
      ...(workers ? ['workers'] : []),
      'calls',
      'turnaround p50 ms',
      'p99 ms',
      'max ms',
      'frames lost',
      'server CPU % of a core',
      'CPU %/call',
      'CPU µs/frame pair',
      'CPU ms/call setup',
      'server RSS MiB',
      'RSS/call KiB',
      'idle KiB/call',
      'client CPU %',
      'client loop p99 ms',
      'server CPU wait %',
      'load avg',
    ]),
    row(Array.from({ length: 16 + (workers ? 1 : 0) + (metrics ? 1 : 0) + (rates ? 1 : 0) }, () => '---')),
  ];
  for (const step of steps) {
    lines.push(
      row([
        ...(rates ? [step.pipelineRate ?? ''] : []),
        ...(metrics ? [step.metrics ? 'on' : 'off'] : []),
        ...(workers ? [step.workers ?? 1] : []),
        step.calls,
        fixed(step.turnaround.p50Ms, 2),
        fixed(step.turnaround.p99Ms, 2),
        fixed(step.turnaround.maxMs, 1),
        `${step.framesLost} / ${step.framesSent}`,
        fixed(step.serverCpuPercent),
        fixed(step.serverCpuPercentPerCall, 3),
        fixed(step.serverCpuUsPerFramePair),
        fixed(step.serverCpuMsPerCallSetup, 2),
        fixed(step.serverLoadedRssMiB),
        fixed(step.rssPerCallKiB),
        fixed(step.idleMemoryPerCallKiB),
        fixed(step.clientCpuPercent),
        fixed(step.clientLoopDelayP99Ms, 2),
        fixed(step.serverRunQueueWaitPercent),
        `${fixed(step.loadAverage[0])}→${fixed(step.loadAverage[1])}`,
      ]),
    );
  }
  return lines.join('\n');
}

/**
 * Runs each step of the load test against a fresh server process (the echo bot over loopback)
 * and prints a table as it goes.
 */
export async function runLoadTest(options: LoadTestOptions): Promise<LoadSection> {
  // `--workers N` on the real CLI (node:cluster); without it, the CLI's default (one process).
  const commandFor = (workers: number | undefined, metrics = false): readonly string[] =>
    options.serverCommand ?? [
      ...DEFAULT_SERVER_COMMAND,
      ...(workers === undefined ? [] : ['--workers', String(workers)]),
      ...(metrics ? ['--metrics'] : []),
    ];
  // `--pipeline-rate`: one server per rate (echo-at-rate.mjs), one process, metrics off.
  const pipelineRates = options.pipelineRates
    ? rateRoundOrder(options.pipelineRates, options.rateRounds)
    : [undefined];
  const workerCounts = options.pipelineRates ? [undefined] : (options.workers ?? [undefined]);
  const serverCommand = options.pipelineRates
    ? echoAtRateCommand(options.pipelineRates[0] ?? 16_000, '<carrier>').concat(
        options.pipelineRates.length > 1 ? [`(also at ${options.pipelineRates.slice(1).join(', ')} Hz)`] : [],
      )
    : commandFor(workerCounts[0]).concat(
        workerCounts.length > 1 ? [`(also --workers ${workerCounts.slice(1).join(', ')})`] : [],
      );
  if (!options.serverCommand && !existsSync(new URL('../../packages/cli/dist/bin.js', import.meta.url))) {
    throw new Error(
      'packages/cli/dist/bin.js (callwire serve) is not built: run pnpm build, or pass --server-cmd',
    );
  }
  const { label, harness, carrier } = await pickLoadHarness(options.carrier);
  const stepCommand = (rate: number | undefined, workers: number | undefined, metrics: boolean) =>
    rate === undefined ? commandFor(workers, metrics) : echoAtRateCommand(rate, carrier);
  const removeEnv = carrierEnvironmentVariables(await discoverHarnesses());
  // The carrier's fake REST API, where it has one: the server hangs calls up there, on this machine.
  const api: FakeCarrierApi | undefined =
    harness.supports.hangUp && harness.startApi ? await harness.startApi() : undefined;
  const env = api ? serverEnvironmentFor(harness, api.url) : {};
  const client = await pickClient(options.client, harness);
  const baselineClient = await pickClient(options.client, bareEchoHarness(harness));
  console.log(
    `load: carrier ${label}${api ? ` (hang-ups to its fake API at ${api.url})` : ''}; client ${client.name}; ` +
      `server: ${serverCommand.join(' ').replace(process.execPath, 'node')}`,
  );
  try {
    return await runSteps();
  } finally {
    await api?.close();
  }
  async function runSteps(): Promise<LoadSection> {
    const steps: LoadStep[] = [];
    // A custom --server-cmd is run as given: metrics on/off only applies to the default command.
    const metricsModes = options.serverCommand || options.pipelineRates ? [false] : options.metrics;
    for (const pipelineRate of pipelineRates)
      for (const metrics of metricsModes)
        for (const workers of workerCounts)
          for (const calls of options.calls) {
            if (metrics && (workers ?? 1) > 1) {
              // The CLI refuses --metrics with workers: a scrape would see one random worker.
              console.log(`load: ${workers} workers with --metrics skipped (metrics need one process)`);
              continue;
            }
            const server = await startServerProcess({
              cwd: repoRoot,
              command: stepCommand(pipelineRate, workers, metrics),
              env,
              removeEnv,
            });
            try {
              const step = await client.runStep(server, {
                calls,
                seconds: options.seconds,
                warmupFrames: options.warmupFrames,
                drainMs: options.drainMs,
                connectConcurrency: options.connectConcurrency,
              });
              steps.push({
                ...step,
                ...(workers === undefined ? {} : { workers }),
                ...(metricsModes.length > 1 ? { metrics } : {}),
                ...(pipelineRate === undefined ? {} : { pipelineRate }),
              });
              console.log(
                `load: ${pipelineRate === undefined ? '' : `pipeline ${pipelineRate} Hz, `}${metricsModes.length > 1 ? `metrics ${metrics ? 'on' : 'off'}, ` : ''}${workers === undefined ? '' : `${workers} worker(s), `}${calls} calls: p50 ${fixed(step.turnaround.p50Ms, 2)} ms, p99 ${fixed(step.turnaround.p99Ms, 2)} ms, ` +
                  `lost ${step.framesLost}/${step.framesSent}, server CPU ${fixed(step.serverCpuPercent)}% ` +
                  `(${fixed(step.serverCpuUsPerFramePair)} µs/frame pair, waited for a core ${fixed(step.serverRunQueueWaitPercent)}%), ` +
                  `idle ${fixed(step.idleMemoryPerCallKiB)} KiB/call`,
              );
            } finally {
              await server.stop();
            }
          }
    let baseline: LoadStepResult | undefined;
    const baselineCalls = options.baselineCalls ?? options.calls[0] ?? 0;
    if (baselineCalls > 0) {
      const server = await startServerProcess({ cwd: repoRoot, command: BARE_ECHO_COMMAND, removeEnv });
      try {
        baseline = await baselineClient.runStep(server, {
          calls: baselineCalls,
          seconds: options.seconds,
          warmupFrames: options.warmupFrames,
          drainMs: options.drainMs,
          connectConcurrency: options.connectConcurrency,
        });
      } finally {
        await server.stop();
      }
    }
    console.log(`\n${formatLoadTable(steps)}\n`);
    if (baseline) {
      console.log(`baseline: bare ws echo (bench/load/bare-echo-server.mjs), same client, same run:\n`);
      console.log(`${formatLoadTable([baseline])}\n`);
    }
    const singleProcess = (metrics: boolean) =>
      steps.filter((step) => (step.workers ?? 1) === 1 && (step.metrics ?? false) === metrics);
    // Capacity is the default server's: steps at other pipeline rates are not one setting.
    const capacity = options.pipelineRates
      ? {}
      : {
          ...(metricsModes.includes(false) ? { metricsOff: capacityOf(singleProcess(false)) } : {}),
          ...(metricsModes.includes(true) ? { metricsOn: capacityOf(singleProcess(true)) } : {}),
        };
    const rateCosts = pipelineRateCosts(steps);
    for (const cost of rateCosts) {
      console.log(
        `load: pipeline ${cost.pipelineRate} Hz, ${cost.calls} calls: ${fixed(cost.cpuUsPerFramePair)} µs of server CPU per echoed frame pair` +
          (cost.rounds.length > 1
            ? ` (median of ${cost.rounds.length} rounds: ${cost.rounds.map((value) => fixed(value)).join(', ')})`
            : '') +
          ', ' +
          `${fixed(cost.vsLowestRate, 2)}× the ${rateCosts[0]!.pipelineRate} Hz pipeline's` +
          (baseline
            ? `, ${fixed(cost.cpuUsPerFramePair / baseline.serverCpuUsPerFramePair, 2)}× the bare ws echo's`
            : ''),
      );
    }
    const at8k = rateCosts.find((cost) => cost.pipelineRate === 8000);
    const at24k = rateCosts.find((cost) => cost.pipelineRate === 24_000);
    const pipeline24kVs8k = at8k && at24k ? at24k.cpuUsPerFramePair / at8k.cpuUsPerFramePair : undefined;
    if (pipeline24kVs8k !== undefined) {
      console.log(
        `load: 24 kHz pipeline vs 8 kHz: ${fixed(pipeline24kVs8k, 2)}× the CPU per echoed frame pair ` +
          `(target ≤ ${PIPELINE_24K_VS_8K_TARGET}×): ${pipeline24kVs8k <= PIPELINE_24K_VS_8K_TARGET ? 'PASS' : 'FAIL'}`,
      );
    }
    for (const [mode, value] of Object.entries(capacity)) {
      if (!value) continue;
      console.log(
        `load: capacity per core, ${mode === 'metricsOn' ? 'metrics on ' : 'metrics off'}: ` +
          `${value.callsUnderTarget} calls at p99 < ${TURNAROUND_P99_TARGET_MS} ms (largest step that met it), ` +
          `~${Math.floor(value.callsPerCoreByCpu)} calls by CPU alone`,
      );
    }
    const overheadAt = Math.min(...options.calls);
    const metricsOverhead = metricsCpuOverheadPercent(steps, overheadAt);
    if (metricsOverhead !== undefined) {
      console.log(
        `load: metrics cost ${fixed(metricsOverhead)}% more server CPU per frame pair at ${overheadAt} calls (target < 5%; ` +
          `this shared machine varies by a few % between identical runs)`,
      );
    }
    const heaviest = steps.at(-1);
    if (heaviest) {
      const callsPerCore = callsPerCoreAt(heaviest.serverCpuUsPerFramePair);
      if (baseline) {
        console.log(
          `load: server CPU per frame pair ${fixed(heaviest.serverCpuUsPerFramePair)} µs vs ${fixed(baseline.serverCpuUsPerFramePair)} µs ` +
            `for a bare ws echo: ${fixed(heaviest.serverCpuUsPerFramePair / baseline.serverCpuUsPerFramePair, 2)}×`,
        );
      }
      console.log(
        `load: at ${fixed(heaviest.serverCpuUsPerFramePair)} µs of server CPU per frame pair, one event loop (one core) ` +
          `carries at most ~${Math.floor(callsPerCore)} calls; 1000 calls need ~${fixed(1000 / callsPerCore)} cores of CPU.`,
      );
    }
    return {
      carrier: label,
      client: client.name,
      serverCommand: serverCommand.join(' ').replace(process.execPath, 'node'),
      steps,
      baseline,
      cpuPerFramePairVsBaseline:
        baseline && steps.length > 0
          ? steps[steps.length - 1]!.serverCpuUsPerFramePair / baseline.serverCpuUsPerFramePair
          : undefined,
      targets: { turnaroundP99Ms: TURNAROUND_P99_TARGET_MS, idleMemoryPerCallKiB: 50 },
      capacity,
      ...(metricsOverhead !== undefined ? { metricsCpuOverheadPercent: metricsOverhead } : {}),
      ...(rateCosts.length > 0 ? { pipelineRates: rateCosts } : {}),
      ...(pipeline24kVs8k !== undefined ? { pipeline24kVs8k } : {}),
    };
  }
}
