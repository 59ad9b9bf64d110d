import type { HangUpResult } from '@callwire/core';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CallEndReason } from './call-end-reason.js';

/** Why a media-stream upgrade was refused, as the `cause` label of `callwire_upgrades_refused_total`. */
export type UpgradeRefusal =
  /** `maxConnections` or `maxUnidentifiedConnections` reached. */
  | 'cap'
  /** A missing or wrong signature (`verifyUpgrade`), or the check failed. */
  | 'signature'
  /** No stream token (or carrier credentials), or a wrong, expired or reused one (`streamAuth`). */
  | 'stream-auth'
  /** Not a valid WebSocket handshake (bad headers, version or key). */
  | 'bad-handshake'
  /** A path other than the media path. */
  | 'not-found'
  /** The server is draining or closing. */
  | 'draining';

/**
 * What one call reports, with label values already bound to its carrier so the per-frame path
 * hashes no labels.
 */
export interface CallMeter {
  /** One frame decoded from the carrier. */
  frameIn(): void;
  /** One frame the application sent, serialized. */
  frameOut(): void;
  /** One inbound frame dropped because the handler fell behind. */
  inboundDropped(): void;
  /** One outbound message dropped because the socket's send buffer was full. */
  outboundDropped(): void;
  /** Time (s) the serializer took to decode one inbound message. */
  deserialized(seconds: number): void;
  /** Time (s) the serializer took to encode one outbound frame. */
  serialized(seconds: number): void;
}

/** A server's Prometheus metrics, in a registry of its own (two servers in one process never collide). */
export interface ServerMetrics {
  readonly registry: Registry;
  /** Counts a call as started and active; returns its per-frame meter. */
  callStarted(carrier: string): CallMeter;
  /** Counts a call as ended (no longer active) for `reason`. */
  callEnded(carrier: string, reason: CallEndReason): void;
  upgradeRefused(cause: UpgradeRefusal): void;
  /** One hang-up request's outcome and how long (s) it took. */
  hungUp(carrier: string, outcome: HangUpResult['outcome'], seconds: number): void;
  setDraining(draining: boolean): void;
}

/** Serializer time buckets (s): a 20 ms frame costs microseconds; milliseconds mean trouble. */
const serializerBuckets = [5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 5e-2];
/** Hang-up latency buckets (s): a REST round trip, up to the 5 s default deadline and its retries. */
const hangUpBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Creates the `callwire_*` metrics and Node's process metrics (`callwire_process_*`, `callwire_nodejs_*`)
 * in a fresh registry. Labels are bounded: carrier names, end reasons, outcomes and causes, never call ids.
 */
export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'callwire_' });
  const registers = [registry];
  const active = new Gauge({
    name: 'callwire_calls_active',
    help: 'Calls in progress',
    labelNames: ['carrier'],
    registers,
  });
  const started = new Counter({
    name: 'callwire_calls_started_total',
    help: 'Calls started',
    labelNames: ['carrier'],
    registers,
  });
  const ended = new Counter({
    name: 'callwire_calls_ended_total',
    help: 'Calls ended, by why',
    labelNames: ['carrier', 'reason'],
    registers,
  });
  const framesIn = new Counter({
    name: 'callwire_frames_in_total',
    help: 'Frames decoded from carriers',
    labelNames: ['carrier'],
    registers,
  });
  const framesOut = new Counter({
    name: 'callwire_frames_out_total',
    help: 'Frames the application sent to carriers',
    labelNames: ['carrier'],
    registers,
  });
  const dropped = new Counter({
    name: 'callwire_frames_dropped_total',
    help: 'Frames dropped: inbound-queue (handler too slow), outbound-backpressure (socket buffer full)',
    labelNames: ['carrier', 'where'],
    registers,
  });
  const refused = new Counter({
    name: 'callwire_upgrades_refused_total',
    help: 'Media-stream upgrades refused, by cause',
    labelNames: ['cause'],
    registers,
  });
  const hangUps = new Histogram({
    name: 'callwire_hang_up_duration_seconds',
    help: 'Hang-up requests to the carrier REST API, by outcome',
    labelNames: ['carrier', 'outcome'],
    buckets: hangUpBuckets,
    registers,
  });
  const serializer = new Histogram({
    name: 'callwire_serializer_duration_seconds',
    help: 'Serializer time per frame, by direction (inbound: decode, outbound: encode)',
    labelNames: ['carrier', 'direction'],
    buckets: serializerBuckets,
    registers,
  });
  const draining = new Gauge({
    name: 'callwire_draining',
    help: '1 while the server drains (refuses new calls, lets live ones end)',
    registers,
  });
  for (const cause of [
    'cap',
    'signature',
    'stream-auth',
    'bad-handshake',
    'not-found',
    'draining',
  ] as const) {
    refused.inc({ cause }, 0);
  }
  draining.set(0);

  function callStarted(carrier: string): CallMeter {
    started.inc({ carrier });
    active.inc({ carrier });
    const frameIn = framesIn.labels(carrier);
    const frameOut = framesOut.labels(carrier);
    const inboundDropped = dropped.labels(carrier, 'inbound-queue');
    const outboundDropped = dropped.labels(carrier, 'outbound-backpressure');
    const decode = serializer.labels(carrier, 'inbound');
    const encode = serializer.labels(carrier, 'outbound');
    return {
      frameIn: () => frameIn.inc(),
      frameOut: () => frameOut.inc(),
      inboundDropped: () => inboundDropped.inc(),
      outboundDropped: () => outboundDropped.inc(),
      deserialized: (seconds) => decode.observe(seconds),
      serialized: (seconds) => encode.observe(seconds),
    };
  }

  return {
    registry,
    callStarted,
    callEnded(carrier, reason) {
      active.dec({ carrier });
      ended.inc({ carrier, reason });
    },
    upgradeRefused: (cause) => refused.inc({ cause }),
    hungUp: (carrier, outcome, seconds) => hangUps.observe({ carrier, outcome }, seconds),
    setDraining: (value) => draining.set(value ? 1 : 0),
  };
}
