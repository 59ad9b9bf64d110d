import { monitorEventLoopDelay } from 'node:perf_hooks';
import { type ConnectLoadCall, FRAMES_PER_SECOND, type LoadCall } from './load-call.js';
import { paceFrames } from './pacer.js';
import { cpuPercent, loadAverage, runQueueWaitPercent, sampleProcessTree } from './proc-stats.js';
import type { ServerProcess } from './server-process.js';
import { createSampleList, type LatencySummary, summarizeLatencies } from './stats.js';

/** How one load step (N calls against one fresh server) is run. */
export interface LoadStepOptions {
  readonly calls: number;
  /** Seconds of real-time media per call. */
  readonly seconds: number;
  /** Frames at the start of each call left out of the latency figures (JIT warm-up). */
  readonly warmupFrames: number;
  /** How long to wait for the last frames' echo, ms. */
  readonly drainMs: number;
  /** Calls opened at once while connecting. */
  readonly connectConcurrency: number;
}

/** What one load step measured. */
export interface LoadStepResult {
  readonly calls: number;
  readonly seconds: number;
  readonly framesSent: number;
  readonly framesReturned: number;
  readonly framesLost: number;
  readonly turnaround: LatencySummary;
  /** Server CPU while streaming, percent of one core. */
  readonly serverCpuPercent: number;
  readonly serverCpuPercentPerCall: number;
  /**
   * Server CPU time while all calls stream divided by the frames echoed back in that time (one
   * inbound and one outbound message each), µs: what a call costs, however busy the machine was.
   */
  readonly serverCpuUsPerFramePair: number;
  /** Server CPU to open a call (and, with the simulator, to close it again), ms per call. */
  readonly serverCpuMsPerCallSetup: number;
  /** Server RSS before any call, MiB. */
  readonly serverBaseRssMiB: number;
  /** Server RSS at the end of streaming, MiB. */
  readonly serverLoadedRssMiB: number;
  /** (loaded RSS - base RSS) / calls, KiB. */
  readonly rssPerCallKiB: number;
  /** (RSS with all calls connected and idle - base RSS) / calls, KiB. */
  readonly idleMemoryPerCallKiB: number;
  /** The load generator's own CPU while streaming, percent of one core. */
  readonly clientCpuPercent: number;
  /** The load generator's event-loop delay p99 while streaming, ms (turnaround includes it). */
  readonly clientLoopDelayP99Ms: number;
  readonly connectMs: number;
  /** Server time runnable but waiting for a CPU, percent of wall time: high means the machine, not the server, was the limit. */
  readonly serverRunQueueWaitPercent: number;
  /** 1-minute load average at the start and the end of the step (this machine has \`nproc\` cores). */
  readonly loadAverage: readonly [number, number];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function connectAll(
  connect: ConnectLoadCall,
  url: string,
  count: number,
  concurrency: number,
): Promise<LoadCall[]> {
  const calls: LoadCall[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      calls[index] = await connect(url, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return calls;
}

/** Runs N simulated calls in real time against `server` and measures turnaround, loss, CPU and memory. */
export async function runLoadStep(
  server: ServerProcess,
  connect: ConnectLoadCall,
  options: LoadStepOptions,
): Promise<LoadStepResult> {
  await sleep(300);
  const loadAtStart = loadAverage();
  const base = sampleProcessTree(server.pid);
  const connectStart = performance.now();
  const calls = await connectAll(connect, server.streamUrl, options.calls, options.connectConcurrency);
  const connectMs = performance.now() - connectStart;
  await sleep(1000);
  const idle = sampleProcessTree(server.pid);

  const frameCount = Math.round(options.seconds * FRAMES_PER_SECOND);
  const turnarounds = createSampleList(options.calls * frameCount);
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  let measuring = false;
  let returnedInWindow = 0;
  const startAtMs = performance.now() + 200;
  const frameMs = 1000 / FRAMES_PER_SECOND;
  for (const call of calls) {
    call.prepare(frameCount, (frameIndex, ms) => {
      if (frameIndex >= options.warmupFrames) turnarounds.push(ms);
      if (measuring) returnedInWindow++;
    });
  }
  const paced = paceFrames({
    calls: calls.length,
    framesPerCall: frameCount,
    periodMs: frameMs,
    startAtMs,
    send: (index) => calls[index]?.sendFrame(),
  });
  const measureFromMs = startAtMs + options.warmupFrames * frameMs;
  const measureToMs = startAtMs + frameCount * frameMs;
  await sleep(measureFromMs - performance.now());
  loopDelay.enable();
  const serverBefore = sampleProcessTree(server.pid);
  measuring = true;
  const clientBefore = process.cpuUsage();
  const clientBeforeAt = performance.now();
  await sleep(measureToMs - performance.now());
  const serverAfter = sampleProcessTree(server.pid);
  measuring = false;
  const clientCpu = process.cpuUsage(clientBefore);
  const clientCpuPercent = (clientCpu.user + clientCpu.system) / 10 / (performance.now() - clientBeforeAt);
  loopDelay.disable();
  await paced;
  await sleep(options.drainMs);
  const results = calls.map((call) => call.result());

  await Promise.all(calls.map((call) => call.close()));

  const framesSent = results.reduce((sum, result) => sum + result.sent, 0);
  const framesReturned = results.reduce((sum, result) => sum + result.returned, 0);
  const serverCpuPercent = cpuPercent(serverBefore, serverAfter);
  const MiB = 1024 * 1024;
  return {
    calls: options.calls,
    seconds: options.seconds,
    framesSent,
    framesReturned,
    framesLost: framesSent - framesReturned,
    turnaround: summarizeLatencies(turnarounds.values()),
    serverCpuPercent,
    serverCpuPercentPerCall: serverCpuPercent / options.calls,
    serverCpuUsPerFramePair:
      ((serverAfter.cpuMs - serverBefore.cpuMs) * 1000) / Math.max(1, returnedInWindow),
    serverCpuMsPerCallSetup: (idle.cpuMs - base.cpuMs) / options.calls,
    serverBaseRssMiB: base.rssBytes / MiB,
    serverLoadedRssMiB: serverAfter.rssBytes / MiB,
    rssPerCallKiB: (serverAfter.rssBytes - base.rssBytes) / 1024 / options.calls,
    idleMemoryPerCallKiB: (idle.rssBytes - base.rssBytes) / 1024 / options.calls,
    clientCpuPercent,
    clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    connectMs,
    serverRunQueueWaitPercent: runQueueWaitPercent(serverBefore, serverAfter),
    loadAverage: [loadAtStart, loadAverage()],
  };
}
