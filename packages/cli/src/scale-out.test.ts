import { plivoHarness } from '@callwire/plivo/testing';
import { type SimulatedCall, type SimulatedCallSummary, startSimulatedCall } from '@callwire/testing';
import { tone } from '@callwire/testing/audio';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pickFreePort } from './cluster.js';
import { type CallwireInstance, startCallwireInstance } from './test-support/callwire-instance.js';
import { findNginx, type RunningNginx, startNginx } from './test-support/nginx.js';
import { type PrometheusSample, sumOf } from './test-support/prometheus-text.js';
import { withToken } from './test-support/stream-token.js';
import { waitFor } from './test-support/wait-for.js';

// Two real `callwire serve` processes behind a real nginx running deploy/nginx/callwire.conf, the file
// docs/scaling.md tells users to install. `.ci/run` installs nginx; without it this suite cannot run.
const nginx = findNginx();
const FRAME_SAMPLES = 160;

interface Fleet {
  readonly a: CallwireInstance;
  readonly b: CallwireInstance;
  readonly balancer: RunningNginx;
  /** The public URL carriers are given: the balancer. */
  readonly publicUrl: string;
}

/** A simulated call through the balancer that counts its echoes as they arrive. */
interface TrackedCall {
  readonly call: SimulatedCall;
  readonly frames: number;
  echoes(): number;
}

let fleet: Fleet | undefined;

beforeEach(async () => {
  if (!nginx) return;
  const [lbPort, portA, portB] = [
    await pickFreePort('127.0.0.1'),
    await pickFreePort('127.0.0.1'),
    await pickFreePort('127.0.0.1'),
  ];
  const publicUrl = `http://127.0.0.1:${lbPort}`;
  const [a, b] = await Promise.all([
    startCallwireInstance(portA, publicUrl),
    startCallwireInstance(portB, publicUrl),
  ]);
  const balancer = await startNginx(nginx, lbPort, [portA, portB]);
  fleet = { a, b, balancer, publicUrl };
});

afterEach(async () => {
  if (!fleet) return;
  fleet.a.kill();
  fleet.b.kill();
  await fleet.balancer.stop();
  fleet = undefined;
});

function requireFleet(): Fleet {
  if (!fleet) throw new Error('no fleet');
  return fleet;
}

/**
 * Starts a call through the balancer streaming `frames` 20 ms frames in real time. With `staysOnLine` the
 * caller stays on the line (silent) until the test hangs up, so the test decides when calls end.
 */
function placeCall(id: string, frames: number, options: { staysOnLine?: boolean } = {}): TrackedCall {
  let echoes = 0;
  const call = startSimulatedCall({
    // Both instances run with the same CALLWIRE_STREAM_SECRET (runCli gives CLI_STREAM_SECRET): a token
    // minted for the call is accepted by whichever instance the balancer picks.
    url: withToken(`${requireFleet().publicUrl.replace(/^http/, 'ws')}/stream`, 'plivo', id),
    harness: plivoHarness,
    callId: id,
    streamId: `stream-${id}`,
    audio: tone({ frequencyHz: 440, durationMs: frames * 20, sampleRate: 8000, amplitude: 0.3 }),
    ...(options.staysOnLine ? { durationMs: 600_000 } : { tailMs: 1500 }),
    onEvent: (event) => {
      if (event.kind === 'received' && event.event === 'audio') echoes += 1;
    },
  });
  return { call, frames, echoes: () => echoes };
}

/** Once every frame has been echoed, hangs the caller up, as a caller does when the conversation is over. */
async function hangUpWhenEchoed(tracked: TrackedCall): Promise<SimulatedCallSummary> {
  await waitFor(
    `all echoes of ${tracked.call.callId}`,
    () => tracked.echoes() >= tracked.frames || undefined,
    {
      timeoutMs: 120_000,
    },
  );
  tracked.call.hangUp();
  return tracked.call.done;
}

/** A call that ended normally: hung up by the caller, with every frame's audio played back. */
function expectCompleted(summary: SimulatedCallSummary, frames: number): void {
  expect(summary.closedBy, summary.callId).toBe('simulator');
  expect(summary.closeCode, summary.callId).toBe(1000);
  expect(summary.errors, summary.callId).toEqual([]);
  expect(summary.sent.media, summary.callId).toBe(frames);
  expect(summary.received.audio, summary.callId).toBe(frames);
  expect(summary.receivedAudio.length, summary.callId).toBe(frames * FRAME_SAMPLES);
}

/** The counters of one instance agree with what the simulator saw for the calls it served. */
function expectMetricsAgree(samples: PrometheusSample[], summaries: readonly SimulatedCallSummary[]): void {
  const sentFrames = summaries.reduce((sum, summary) => sum + summary.sent.media, 0);
  const heardFrames = summaries.reduce((sum, summary) => sum + (summary.received.audio ?? 0), 0);
  expect(sumOf(samples, 'callwire_calls_started_total', { carrier: 'plivo' })).toBe(summaries.length);
  expect(sumOf(samples, 'callwire_calls_ended_total', { carrier: 'plivo', reason: 'remote-closed' })).toBe(
    summaries.length,
  );
  expect(sumOf(samples, 'callwire_calls_active')).toBe(0);
  expect(sumOf(samples, 'callwire_frames_in_total', { carrier: 'plivo' })).toBe(sentFrames);
  expect(sumOf(samples, 'callwire_frames_out_total', { carrier: 'plivo' })).toBe(heardFrames);
  expect(sumOf(samples, 'callwire_frames_dropped_total')).toBe(0);
}

const servedBy = (instance: CallwireInstance, summaries: readonly SimulatedCallSummary[]) =>
  summaries.filter((summary) => instance.callIds().includes(summary.callId));

describe.skipIf(!nginx)(
  nginx
    ? 'scale-out behind nginx (deploy/nginx/callwire.conf)'
    : 'scale-out behind nginx: skipped, nginx is not installed (apt-get install -y nginx; .ci/run installs it)',
  () => {
    it('answers with the public stream URL, spreads calls over both instances, and /metrics agrees', async () => {
      const { a, b, publicUrl } = requireFleet();
      const answer = await fetch(`${publicUrl}/answer`, { method: 'POST', body: 'CallUUID=scale-1' });
      expect(answer.status).toBe(200);
      expect(await answer.text()).toContain(`${publicUrl.replace(/^http/, 'ws')}/stream`);
      expect((await fetch(`${publicUrl}/metrics`)).status).toBe(404);

      const calls = Array.from({ length: 20 }, (_, index) => placeCall(`spread-${index}`, 100));
      const summaries = await Promise.all(calls.map((tracked) => tracked.call.done));
      for (const summary of summaries) expectCompleted(summary, 100);
      const onA = servedBy(a, summaries);
      const onB = servedBy(b, summaries);
      expect(onA.length + onB.length).toBe(20);
      expect(onA.length).toBeGreaterThanOrEqual(5);
      expect(onB.length).toBeGreaterThanOrEqual(5);
      await waitFor('both instances to count every call ended', async () => {
        const [samplesA, samplesB] = [await a.scrape(), await b.scrape()];
        return (
          sumOf(samplesA, 'callwire_calls_active') + sumOf(samplesB, 'callwire_calls_active') === 0 ||
          undefined
        );
      });
      expectMetricsAgree(await a.scrape(), onA);
      expectMetricsAgree(await b.scrape(), onB);
    });

    it('drains one instance mid 50 live calls: each of its calls ends normally with all its audio, new calls go to the other', async () => {
      const { a, b } = requireFleet();
      const frames = 150;
      const live = Array.from({ length: 50 }, (_, index) =>
        placeCall(`live-${index}`, frames, { staysOnLine: true }),
      );
      await waitFor('50 calls started', () => a.callIds().length + b.callIds().length === 50 || undefined, {
        timeoutMs: 120_000,
      });
      const liveOnA = a.callIds();
      expect(liveOnA.length).toBeGreaterThanOrEqual(10);

      a.running.child.kill('SIGTERM');
      await waitFor('A not ready', async () => (await a.readyStatus()) === 503 || undefined);
      const duringDrain = await a.scrape();
      expect(sumOf(duringDrain, 'callwire_draining')).toBe(1);
      expect(sumOf(duringDrain, 'callwire_calls_active')).toBe(liveOnA.length);

      const fresh = Array.from({ length: 10 }, (_, index) => placeCall(`fresh-${index}`, 50));
      const freshSummaries = await Promise.all(fresh.map((tracked) => tracked.call.done));
      for (const summary of freshSummaries) expectCompleted(summary, 50);
      expect(servedBy(b, freshSummaries)).toHaveLength(10);
      expect(a.callIds()).toEqual(liveOnA);
      expect(a.running.child.exitCode).toBeNull();

      const liveSummaries = await Promise.all(live.map(hangUpWhenEchoed));
      for (const summary of liveSummaries) expectCompleted(summary, frames);
      expect(await a.running.exited).toBe(0);
      const messages = a.running.logs().map((entry) => entry.msg);
      expect(messages).toContain('drained: every call ended');
      expect(messages).not.toContain('drain timed out: ending the calls left');
      expectMetricsAgree(await b.scrape(), servedBy(b, [...liveSummaries, ...freshSummaries]));
    });

    it('loses only the calls of an instance killed with SIGKILL, and routes new calls to the survivor', async () => {
      const { a, b } = requireFleet();
      const frames = 100;
      const live = Array.from({ length: 20 }, (_, index) =>
        placeCall(`kill-${index}`, frames, { staysOnLine: true }),
      );
      await waitFor('20 calls started', () => a.callIds().length + b.callIds().length === 20 || undefined, {
        timeoutMs: 120_000,
      });
      const onB = new Set(b.callIds());
      expect(onB.size).toBeGreaterThanOrEqual(5);
      expect(a.callIds().length).toBeGreaterThanOrEqual(5);

      b.kill();
      const dropped = await Promise.all(
        live.filter((tracked) => onB.has(tracked.call.callId)).map((t) => t.call.done),
      );
      for (const summary of dropped) {
        expect(summary.closedBy).toBe('server');
        expect(summary.closeCode).not.toBe(1000);
      }
      const survivors = await Promise.all(
        live.filter((tracked) => !onB.has(tracked.call.callId)).map(hangUpWhenEchoed),
      );
      for (const summary of survivors) expectCompleted(summary, frames);

      const fresh = Array.from({ length: 10 }, (_, index) => placeCall(`after-kill-${index}`, 50));
      const freshSummaries = await Promise.all(fresh.map((tracked) => tracked.call.done));
      for (const summary of freshSummaries) expectCompleted(summary, 50);
      expect(servedBy(a, freshSummaries)).toHaveLength(10);
      await waitFor(
        'A to count every call ended',
        async () => sumOf(await a.scrape(), 'callwire_calls_active') === 0 || undefined,
      );
      expectMetricsAgree(await a.scrape(), [...survivors, ...freshSummaries]);
    });
  },
);
