import { CallwireError, createCallwireContainer, type Logger, registerCarrier } from '@callwire/core';
import { plivo } from '@callwire/plivo';
import { type CallHandler, type CallServer, createCallServer } from '@callwire/server';

/** What `callwire serve` runs with. */
export interface ServeConfig {
  readonly handler: CallHandler;
  readonly port: number;
  readonly host?: string;
  readonly path?: string;
  readonly answerPath?: string;
  /** Public base URL (a tunnel's https URL) used in the answer XML and for signature checks. */
  readonly publicUrl?: string;
  readonly authId?: string;
  readonly authToken?: string;
  /** Plivo REST API base URL (a fake one in the demo). */
  readonly apiBaseUrl?: string;
  /** Check the WebSocket upgrade's X-Plivo-Signature-V3 too (needs `authToken`). */
  readonly verifyUpgrade?: boolean;
  /** How long a drain (SIGTERM) lets live calls run before ending them (ms). */
  readonly drainTimeoutMs?: number;
  /** Prometheus `/metrics`: `true` on the serve port, `{ port }` on a port of its own. */
  readonly metrics?: boolean | { readonly port: number };
  readonly logger: Logger;
}

/** A running server and the URLs to give Plivo. */
export interface Serving {
  readonly server: CallServer;
  readonly port: number;
  /** Where Plivo's application must point its Answer URL. */
  readonly answerUrl: string;
  /** Where media streams connect (what the answer XML points at). */
  readonly streamUrl: string;
  /** True when calls can be hung up over REST (both credentials are set). */
  readonly canHangUp: boolean;
  /** Where Prometheus scrapes, when metrics are on. */
  readonly metricsUrl?: string;
}

/**
 * Registers Plivo (its `answer` and `verifyWebhook` hooks serve the answer URL) and starts a call server running `handler`.
 * Without both credentials, calls run with `autoHangUp: false`, so no Plivo account is needed.
 */
export async function startServing(config: ServeConfig): Promise<Serving> {
  if (config.verifyUpgrade && !config.authToken) {
    throw new CallwireError(
      'CONFIG',
      'verifyUpgrade needs the Plivo auth token (PLIVO_AUTH_TOKEN) to check signatures',
    );
  }
  const container = createCallwireContainer({ logger: config.logger });
  registerCarrier(container, plivo, {
    ...(config.authId ? { authId: config.authId } : {}),
    ...(config.authToken ? { authToken: config.authToken } : {}),
    ...(config.apiBaseUrl ? { apiBaseUrl: config.apiBaseUrl } : {}),
  });
  const canHangUp = Boolean(config.authId && config.authToken);
  const path = config.path ?? '/stream';
  const answerPath = config.answerPath ?? '/answer';
  const server = createCallServer({
    container,
    handler: config.handler,
    logger: config.logger,
    path,
    answerPath,
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...(config.verifyUpgrade ? { verifyUpgrade: true } : {}),
    ...(config.drainTimeoutMs !== undefined ? { drainTimeoutMs: config.drainTimeoutMs } : {}),
    ...(typeof config.metrics === 'object'
      ? { metrics: { port: config.metrics.port, ...(config.host ? { host: config.host } : {}) } }
      : config.metrics
        ? { metrics: true }
        : {}),
    ...(canHangUp ? {} : { callParams: () => ({ autoHangUp: false }) }),
  });
  const port = await server.listen(config.port, config.host);
  const base = config.publicUrl?.replace(/\/+$/, '') ?? `http://localhost:${port}`;
  const metricsPort = config.metrics ? (server.metricsPort() ?? port) : undefined;
  return {
    server,
    port,
    answerUrl: `${base}${answerPath}`,
    streamUrl: `${base.replace(/^http/, 'ws')}${path}`,
    canHangUp,
    ...(metricsPort !== undefined ? { metricsUrl: `http://localhost:${metricsPort}/metrics` } : {}),
  };
}
