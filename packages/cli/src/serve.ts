import {
  CallwireError,
  createCallwireContainer,
  type Logger,
  registerCarrier,
  type WebhookRequest,
} from '@callwire/core';
import { type CallHandler, type CallServer, createCallServer, STREAM_SECRET_ENV } from '@callwire/server';
import { type AnyCarrierPlugin, carrierOptionsFromEnvironment, discoverCarriers } from './carriers.js';

/** What `callwire serve` runs with. */
export interface ServeConfig {
  readonly handler: CallHandler;
  readonly port: number;
  readonly host?: string;
  readonly path?: string;
  readonly answerPath?: string;
  /** The carrier whose answer document `answerPath` serves. @default 'plivo' */
  readonly answerCarrier?: string;
  /** Public base URL (a tunnel's https URL) used in the answer document and for signature checks. */
  readonly publicUrl?: string;
  /** The carriers served. @default every carrier this package depends on (`discoverCarriers()`) */
  readonly carriers?: readonly AnyCarrierPlugin[];
  /**
   * Where each carrier's options are read, through its `environment` map (`PLIVO_AUTH_ID`, ...).
   * A carrier whose options then allow a hang-up gets auto hang-up; the others run with it off. @default {}
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Check each WebSocket upgrade's signature too (needs a carrier that checks signatures). */
  readonly verifyUpgrade?: boolean;
  /**
   * Per-call stream tokens: on (the default) with the secret from `CALLWIRE_STREAM_SECRET` in `env`, else
   * a random one per process (with a warning); `'off'` lets every upgrade in (logged at start-up).
   */
  readonly streamAuth?: 'on' | 'off';
  /** How long a drain (SIGTERM) lets live calls run before ending them (ms). */
  readonly drainTimeoutMs?: number;
  /** Prometheus `/metrics`: `true` on the serve port, `{ port }` on a port of its own. */
  readonly metrics?: boolean | { readonly port: number };
  /** Also serve Asterisk AudioSocket (TCP) on this port (0: any free one), with the same handler. */
  readonly audioSocketPort?: number;
  readonly logger: Logger;
}

/** A carrier as served: whether it hangs calls up and checks signed requests. */
export interface ServedCarrier {
  readonly name: string;
  /** Its options hold what a REST hang-up needs: its calls get auto hang-up. */
  readonly canHangUp: boolean;
  /** How its calls end: its REST API, or closing the stream (no credentials to set for hang-ups). */
  readonly hangUpVia: 'rest' | 'stream';
  /** It checks the signatures of webhook requests (its secret is set). */
  readonly checksSignatures: boolean;
  /** Option name -> environment variable, as the carrier declares them. */
  readonly environment?: Readonly<Record<string, string>> | undefined;
}

/** A running server and the URLs to give the carrier. */
export interface Serving {
  readonly server: CallServer;
  readonly port: number;
  /** Where the answer carrier's application must point its answer URL. */
  readonly answerUrl: string;
  /** The carrier whose answer document `answerUrl` serves (absent when no served carrier has one). */
  readonly answerCarrier?: string;
  /** Where media streams connect (what the answer document points at). */
  readonly streamUrl: string;
  /** Every carrier served, by name. */
  readonly carriers: readonly ServedCarrier[];
  /** Where Prometheus scrapes, when metrics are on. */
  readonly metricsUrl?: string;
  /** The bound AudioSocket TCP port, when `audioSocketPort` was given. */
  readonly audioSocketPort?: number;
}

/** An unsigned request: a carrier that can check signatures calls it `missing`, one that cannot, `unchecked`. */
const unsignedProbe: WebhookRequest = {
  method: 'POST',
  url: 'https://callwire.invalid/',
  headers: {},
  body: '',
};

/** The container a carrier's hooks read their options from. */
type CarrierContainer = Parameters<AnyCarrierPlugin['register']>[0];

async function checksSignatures(plugin: AnyCarrierPlugin, container: CarrierContainer): Promise<boolean> {
  return (
    plugin.verifyWebhook !== undefined &&
    (await plugin.verifyWebhook(unsignedProbe, container)) !== 'unchecked'
  );
}

/** The served carrier named `wanted` with an answer hook, else (when `wanted` is the default) the first one with it. */
function answeringCarrier(
  carriers: readonly AnyCarrierPlugin[],
  wanted: string | undefined,
): AnyCarrierPlugin | undefined {
  const answering = carriers.filter((plugin) => plugin.answer !== undefined);
  const found = answering.find((plugin) => plugin.name === (wanted ?? 'plivo'));
  if (found || wanted === undefined) return found ?? answering[0];
  throw new CallwireError(
    'CONFIG',
    `[cli] answer carrier "${wanted}" is not served with an answer document; these are: ${
      answering.map((plugin) => plugin.name).join(', ') || '(none)'
    }`,
  );
}

/**
 * Registers every carrier with its options from `env` and starts a call server running `handler` on one
 * port; carrier detection picks each socket's carrier. A carrier that cannot hang up (no credentials) has
 * its calls run with `autoHangUp: false`, so no carrier account is needed to try it.
 */
export async function startServing(config: ServeConfig): Promise<Serving> {
  const env = config.env ?? {};
  const carriers = config.carriers ?? (await discoverCarriers());
  const container = createCallwireContainer({ logger: config.logger });
  const served: ServedCarrier[] = [];
  for (const plugin of carriers) {
    const resolved = registerCarrier(container, plugin, carrierOptionsFromEnvironment(plugin, env));
    served.push({
      name: plugin.name,
      canHangUp: plugin.canHangUp?.(resolved) ?? false,
      hangUpVia: plugin.hangUpVia ?? 'rest',
      checksSignatures: await checksSignatures(plugin, container),
      environment: plugin.environment,
    });
  }
  if (config.verifyUpgrade && !served.some((carrier) => carrier.checksSignatures)) {
    const variables = served
      .filter((carrier) => carriers.find((plugin) => plugin.name === carrier.name)?.verifyWebhook)
      .map((carrier) => `${carrier.name}: ${Object.values(carrier.environment ?? {}).join(', ')}`);
    throw new CallwireError(
      'CONFIG',
      `[cli] verifyUpgrade needs a carrier that checks signatures; set its credentials (${variables.join('; ') || 'no carrier checks signatures'})`,
    );
  }
  const answering = answeringCarrier(carriers, config.answerCarrier);
  const hangsUp = new Set(served.filter((carrier) => carrier.canHangUp).map((carrier) => carrier.name));
  const path = config.path ?? '/stream';
  const answerPath = config.answerPath ?? '/answer';
  const server = createCallServer({
    container,
    handler: config.handler,
    logger: config.logger,
    path,
    answerPath,
    ...(answering ? { answerCarrier: answering.name } : {}),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ...(config.verifyUpgrade ? { verifyUpgrade: true } : {}),
    streamAuth:
      config.streamAuth === 'off' ? 'off' : env[STREAM_SECRET_ENV] ? { secret: env[STREAM_SECRET_ENV] } : {},
    ...(config.drainTimeoutMs !== undefined ? { drainTimeoutMs: config.drainTimeoutMs } : {}),
    ...(typeof config.metrics === 'object'
      ? { metrics: { port: config.metrics.port, ...(config.host ? { host: config.host } : {}) } }
      : config.metrics
        ? { metrics: true }
        : {}),
    ...(config.audioSocketPort !== undefined
      ? {
          tcp: {
            port: config.audioSocketPort,
            carrier: 'audiosocket',
            ...(config.host ? { host: config.host } : {}),
          },
        }
      : {}),
    callParams: (carrier) => (hangsUp.has(carrier) ? undefined : { autoHangUp: false }),
  });
  const port = await server.listen(config.port, config.host);
  const base = config.publicUrl?.replace(/\/+$/, '') ?? `http://localhost:${port}`;
  const metricsPort = config.metrics ? (server.metricsPort() ?? port) : undefined;
  const audioSocketPort = server.tcpPort();
  return {
    server,
    port,
    answerUrl: `${base}${answerPath}`,
    ...(answering ? { answerCarrier: answering.name } : {}),
    streamUrl: `${base.replace(/^http/, 'ws')}${path}`,
    carriers: served,
    ...(metricsPort !== undefined ? { metricsUrl: `http://localhost:${metricsPort}/metrics` } : {}),
    ...(audioSocketPort !== undefined ? { audioSocketPort } : {}),
  };
}
