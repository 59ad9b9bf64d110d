import { isCallwireError } from '@callwire/core';
import type { ServeFlags } from './flags.js';
import type { ServedCarrier, Serving } from './serve.js';

/** What the banner shows of a running server (a worker reports the same fields to its primary). */
export type BannerServing = Pick<
  Serving,
  'port' | 'streamUrl' | 'answerUrl' | 'answerCarrier' | 'carriers' | 'metricsUrl' | 'audioSocketPort'
>;

function carrierLine(carrier: ServedCarrier): string {
  if (carrier.hangUpVia === 'stream') return `${carrier.name} (hangs up by closing the stream)`;
  if (carrier.canHangUp) return `${carrier.name} (hangs up)`;
  return `${carrier.name} (no hang-up${carrier.environment ? ': credentials not set, see --help' : ''})`;
}

/** The lines printed once the server listens: the carriers, the URLs to give them, and what is not configured. */
export function banner(flags: ServeFlags, serving: BannerServing, env: NodeJS.ProcessEnv): string {
  const answering = serving.carriers.find((carrier) => carrier.name === serving.answerCarrier);
  return [
    `callwire: serving the ${flags.bot} bot on port ${serving.port}`,
    `  carriers:         ${serving.carriers.map(carrierLine).join(', ') || '(none)'}`,
    `  media stream URL: ${serving.streamUrl}`,
    ...(answering
      ? [
          `  answer URL:       ${serving.answerUrl}   <- set this as your ${answering.name} application's Answer URL (POST)`,
        ]
      : []),
    ...(flags.workers > 1
      ? [`  workers:          ${flags.workers} processes (node:cluster); each call stays in one of them`]
      : []),
    ...(serving.metricsUrl ? [`  metrics:          ${serving.metricsUrl}`] : []),
    ...(serving.audioSocketPort !== undefined
      ? [`  AudioSocket:      TCP port ${serving.audioSocketPort} (private network only: no authentication)`]
      : []),
    `  probes:           /healthz, /readyz; SIGTERM drains (calls get up to ${flags.drainTimeoutSeconds} s)`,
    ...(env.PUBLIC_URL
      ? []
      : ["  (set PUBLIC_URL to your tunnel's https URL so carriers can reach this server)"]),
    ...(answering
      ? [
          answering.checksSignatures
            ? `  answer requests must carry a valid ${answering.name} signature`
            : `  (no ${answering.name} credentials: answer requests are not signature-checked)`,
        ]
      : []),
    '',
  ].join('\n');
}

/** Why the server could not start, naming no secret: CallwireError messages name fields, never values. */
export function startFailureText(error: unknown): string {
  return isCallwireError(error)
    ? error.message
    : error instanceof Error && 'code' in error
      ? `${error.name} ${String(error.code)}`
      : 'unexpected error';
}
