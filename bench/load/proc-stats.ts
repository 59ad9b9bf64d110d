import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** CPU time and resident memory of one process, read from /proc (Linux only). */
export interface ProcessSample {
  /** user + system CPU time since the process started, ms. */
  readonly cpuMs: number;
  /** Resident set size, bytes. */
  readonly rssBytes: number;
  /** Time spent runnable but waiting for a CPU since the process started, ms (/proc/<pid>/schedstat). */
  readonly runQueueWaitMs: number;
  /** When the sample was taken, ms (performance.now()). */
  readonly atMs: number;
}

/** The 1-minute load average (runnable processes; above the core count means CPU contention). */
export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

function runQueueWaitMs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return Number.NaN;
  }
}

let clockTicksPerSecond: number | undefined;

function ticksPerSecond(): number {
  if (clockTicksPerSecond === undefined) {
    try {
      clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicksPerSecond = 100;
    }
  }
  return clockTicksPerSecond;
}

/** Samples `pid`'s CPU time (utime + stime) and RSS from /proc/<pid>/stat and /proc/<pid>/status. */
export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name, which may itself contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return {
    cpuMs: ((utime + stime) * 1000) / ticksPerSecond(),
    rssBytes: rssKiB * 1024,
    runQueueWaitMs: runQueueWaitMs(pid),
    atMs: performance.now(),
  };
}

/**
 * Sums CPU time, RSS and run-queue wait over `pid` and all its descendants (a cluster's primary
 * and workers, or a launcher and its server).
 */
export function sampleProcessTree(pid: number): ProcessSample {
  const pids: number[] = [];
  const visit = (current: number, depth: number): void => {
    if (depth > 8) return;
    pids.push(current);
    for (const child of childrenOf(current)) visit(child, depth + 1);
  };
  visit(pid, 0);
  let cpuMs = 0;
  let rssBytes = 0;
  let waitMs = 0;
  for (const each of pids) {
    try {
      const sample = sampleProcess(each);
      cpuMs += sample.cpuMs;
      rssBytes += sample.rssBytes;
      waitMs += sample.runQueueWaitMs;
    } catch {
      // Exited between the listing and the read.
    }
  }
  return { cpuMs, rssBytes, runQueueWaitMs: waitMs, atMs: performance.now() };
}

/** Percent of one core `pid` used between two samples. */
export function cpuPercent(before: ProcessSample, after: ProcessSample): number {
  return (100 * (after.cpuMs - before.cpuMs)) / (after.atMs - before.atMs);
}

/** Percent of the wall time between two samples that `pid` spent waiting for a CPU (contention). */
export function runQueueWaitPercent(before: ProcessSample, after: ProcessSample): number {
  return (100 * (after.runQueueWaitMs - before.runQueueWaitMs)) / (after.atMs - before.atMs);
}

function childrenOf(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) children.push(...text.split(' ').map(Number));
    }
  } catch {
    // The process is gone.
  }
  return children;
}
