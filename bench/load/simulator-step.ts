import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type {
  CarrierHarness,
  SimulateCallOptions,
  SimulatedCall,
  SimulatedCallSummary,
} from '@callwire/testing';
import { FRAMES_PER_SECOND } from './load-call.js';
import {
  cpuPercent,
  loadAverage,
  type ProcessSample,
  runQueueWaitPercent,
  sampleProcessTree,
} from './proc-stats.js';
import type { LoadStepOptions, LoadStepResult } from './run-load.js';
import type { ServerProcess } from './server-process.js';
import { createSampleList, summarizeLatencies } from './stats.js';
import { tokenisedStreamUrl } from './stream-token.js';

/** A fresh call id and the stream URL with its token. */
function callUrl(url: string, harness: CarrierHarness<unknown, unknown>): { url: string; callId: string } {
  const callId = randomUUID();
  return { url: tokenisedStreamUrl(url, harness.plugin.name, callId), callId };
}

type StartCall = (options: SimulateCallOptions) => SimulatedCall;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** Starts `count` calls, at most `concurrency` connecting at once; resolves when all are open. */
async function openCalls(
  count: number,
  concurrency: number,
  start: (index: number, onOpen: () => void) => SimulatedCall,
): Promise<{ calls: SimulatedCall[]; openedAtMs: number[] }> {
  const calls: SimulatedCall[] = new Array(count);
  const openedAtMs: number[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      await new Promise<void>((resolve, reject) => {
        calls[index] = start(index, () => {
          openedAtMs[index] = performance.now();
          resolve();
        });
        calls[index].done.catch(reject);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { calls, openedAtMs };
}

/** 440 Hz at `sampleRate`, `seconds` long: what each simulated caller says. */
function toneAudio(seconds: number, sampleRate: number): Int16Array {
  const pcm = new Int16Array(Math.round(seconds * sampleRate));
  for (let i = 0; i < pcm.length; i++)
    pcm[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / sampleRate));
  return pcm;
}

/**
 * Frame turnarounds of one call from the simulator's timings: frame k is back when more than k
 * frames' worth of audio (`frameSamples` each, at the wire rate) has come back (the resamplers'
 * delay is well under a frame). Pushes those past the warm-up; returns how many frames came back.
 */
export function collectTurnarounds(
  summary: SimulatedCallSummary,
  frameSamples: number,
  warmupFrames: number,
  push: (ms: number) => void,
): number {
  const sentAt = summary.timings.mediaSentAtMs;
  let returned = 0;
  let samples = 0;
  for (const play of summary.timings.audio) {
    samples += play.samples;
    while (returned < sentAt.length && samples > returned * frameSamples) {
      if (returned >= warmupFrames) push(play.atMs - sentAt[returned]!);
      returned++;
    }
  }
  return returned;
}

/**
 * One load step driven by `@callwire/testing`'s call simulator behaving as `harness`'s carrier: N idle
 * calls to measure memory per idle call, then N calls each streaming `seconds` of real-time audio from
 * the moment it connects (the connect ramp spreads their frame clocks), measured while all of them stream.
 */
export async function runSimulatorStep(
  startCall: StartCall,
  harness: CarrierHarness<unknown, unknown>,
  server: ServerProcess,
  options: LoadStepOptions,
): Promise<LoadStepResult> {
  await sleep(300);
  const loadAtStart = loadAverage();
  const base = sampleProcessTree(server.pid);

  // Idle calls: `start` only, held open until hung up.
  const idleStart = performance.now();
  const idle = await openCalls(options.calls, options.connectConcurrency, (_index, onOpen) =>
    startCall({
      ...callUrl(server.streamUrl, harness),
      harness,
      realTime: true,
      durationMs: 600_000,
      onEvent: (event) => event.kind === 'open' && onOpen(),
    }),
  );
  const connectMs = performance.now() - idleStart;
  await sleep(1000);
  const idleSample = sampleProcessTree(server.pid);
  for (const call of idle.calls) call.hangUp();
  await Promise.all(idle.calls.map((call) => call.done.catch(() => undefined)));
  await sleep(500);

  const afterIdle = sampleProcessTree(server.pid);

  // Streaming calls.
  const frameSamples = harness.wireSampleRate / FRAMES_PER_SECOND;
  const audio = toneAudio(options.seconds, harness.wireSampleRate);
  const frameMs = 1000 / FRAMES_PER_SECOND;
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  const summaries: Promise<SimulatedCallSummary | undefined>[] = [];
  const createdAtMs: number[] = [];
  const streaming = await openCalls(options.calls, options.connectConcurrency, (index, onOpen) => {
    // The simulator's times are ms since the call was created.
    createdAtMs[index] = performance.now();
    const call = startCall({
      ...callUrl(server.streamUrl, harness),
      harness,
      audio,
      realTime: true,
      tailMs: options.drainMs,
      onEvent: (event) => event.kind === 'open' && onOpen(),
    });
    summaries.push(call.done.catch(() => undefined));
    return call;
  });
  // Measure while every call streams: after the last one opened and warmed up, until the first one's audio ends.
  const firstOpen = Math.min(...streaming.openedAtMs);
  const lastOpen = Math.max(...streaming.openedAtMs);
  const audioMs = options.seconds * 1000;
  let fromMs = lastOpen + options.warmupFrames * frameMs;
  let toMs = firstOpen + audioMs;
  if (toMs - fromMs < 500) {
    // The connect ramp took most of the call: measure over the whole streaming time instead.
    fromMs = performance.now();
    toMs = lastOpen + audioMs;
  }
  await sleep(fromMs - performance.now());
  loopDelay.enable();
  const serverBefore: ProcessSample = sampleProcessTree(server.pid);
  const clientBefore = process.cpuUsage();
  const clientBeforeAt = performance.now();
  await sleep(toMs - performance.now());
  const serverAfter = sampleProcessTree(server.pid);
  const clientCpu = process.cpuUsage(clientBefore);
  const clientCpuPercent = (clientCpu.user + clientCpu.system) / 10 / (performance.now() - clientBeforeAt);
  loopDelay.disable();
  const results = await Promise.all(summaries);

  const turnarounds = createSampleList((options.calls * audioMs) / frameMs);
  let framesSent = 0;
  let framesReturned = 0;
  let samplesInWindow = 0;
  results.forEach((summary, index) => {
    if (!summary) return;
    const created = createdAtMs[index] ?? 0;
    for (const play of summary.timings.audio) {
      const at = created + play.atMs;
      if (at >= serverBefore.atMs && at <= serverAfter.atMs) samplesInWindow += play.samples;
    }
    framesSent += summary.timings.mediaSentAtMs.length;
    framesReturned += collectTurnarounds(summary, frameSamples, options.warmupFrames, turnarounds.push);
  });
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
      ((serverAfter.cpuMs - serverBefore.cpuMs) * 1000) / Math.max(1, samplesInWindow / frameSamples),
    serverCpuMsPerCallSetup: (afterIdle.cpuMs - base.cpuMs) / options.calls,
    serverBaseRssMiB: base.rssBytes / MiB,
    serverLoadedRssMiB: serverAfter.rssBytes / MiB,
    rssPerCallKiB: (serverAfter.rssBytes - base.rssBytes) / 1024 / options.calls,
    idleMemoryPerCallKiB: (idleSample.rssBytes - base.rssBytes) / 1024 / options.calls,
    clientCpuPercent,
    clientLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    connectMs,
    serverRunQueueWaitPercent: runQueueWaitPercent(serverBefore, serverAfter),
    loadAverage: [loadAtStart, loadAverage()],
  };
}
