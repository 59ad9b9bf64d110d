import { createHash, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  type CarrierPlugin,
  createOnceMemory,
  type Logger,
  registeredCarriers,
  type StreamCredentials,
  streamAuthOf,
  streamCredentialsOf,
  type WebhookRequest,
} from '@callwire/core';
import type { DependencyContainer } from 'tsyringe';
import {
  DEFAULT_STREAM_TOKEN_TTL_MS,
  mintStreamToken,
  readStreamToken,
  streamSecretKey,
} from './stream-token.js';

/** The environment variable `createCallServer` and `callwire serve` read the stream secret from. */
export const STREAM_SECRET_ENV = 'CALLWIRE_STREAM_SECRET';

/** Who an admitted media socket may be: a carrier, and with a token bound to a call, that call. */
export interface StreamAdmission {
  readonly carrier: string;
  /** The call the token was minted for; absent: any call of `carrier`. */
  readonly callId?: string | undefined;
  /** `'network'`: a connection on a byte-stream listener, which has no credential to check. */
  readonly via: 'token' | 'signed-upgrade' | 'basic' | 'network' | 'off';
}

/** The verdict on an upgrade: admitted, or refused with 401 (no credential) or 403 (a bad one). */
export type GateVerdict =
  | { readonly admitted: StreamAdmission }
  | { readonly status: 401 | 403; readonly kind: string };

/** Settings of the gate (`streamAuth` resolved). */
export interface StreamGateSettings {
  readonly container: DependencyContainer;
  readonly logger: Logger;
  /** `'off'`, or the secret (absent: `CALLWIRE_STREAM_SECRET`, else random) and token lifetime. */
  readonly streamAuth:
    | 'off'
    | {
        readonly secret?: string | undefined;
        readonly ttlMs?: number | undefined;
        readonly maxRememberedTokens?: number | undefined;
      };
  /** The environment the secret is read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The media path's check of who may stream: per-call tokens, carrier signatures, basic auth. */
export interface StreamGate {
  readonly enabled: boolean;
  /** A token for a call the answer endpoint is answering (`undefined` with stream auth off). */
  mint(carrier: string, callId: string | undefined): string | undefined;
  /**
   * Checks an upgrade: `token` from its path (`/stream/<token>`), else the registered carriers'
   * own means (`'signed-upgrade'`, `'basic'`). `upgradeRequest` builds the request their hooks check.
   */
  check(
    token: string | undefined,
    request: IncomingMessage,
    upgradeRequest: () => WebhookRequest,
  ): GateVerdict | Promise<GateVerdict>;
  /** Why an identified call may not use an admitted socket, or `undefined` when it may. */
  mismatch(admission: StreamAdmission, carrier: string, callId: string | undefined): string | undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when the `Authorization: Basic` header carries exactly `credentials` (compared in constant time). */
function basicMatches(header: string | undefined, credentials: StreamCredentials): boolean {
  if (!header?.toLowerCase().startsWith('basic ')) return false;
  const given = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  // Hashes first: equal lengths for timingSafeEqual whatever was sent.
  return timingSafeEqual(digest(given), digest(`${credentials.username}:${credentials.password}`));
}

/**
 * The stream gate of one server. Resolves the secret (given, else `CALLWIRE_STREAM_SECRET`, else a random
 * one with a warning), and logs at start-up what is open: auth off, carriers that cannot authenticate.
 */
export function createStreamGate(settings: StreamGateSettings): StreamGate {
  const { container, logger } = settings;
  if (settings.streamAuth === 'off') {
    logger.warn(
      { streamAuth: 'off' },
      'stream auth is off: anyone who can reach the media path can open a call (use it only behind a private network or your own gate)',
    );
    return {
      enabled: false,
      mint: () => undefined,
      check: () => ({ admitted: { carrier: '', via: 'off' } }),
      mismatch: () => undefined,
    };
  }
  const env = settings.env ?? process.env;
  const fromEnv = env[STREAM_SECRET_ENV];
  let secret = settings.streamAuth.secret ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined);
  if (secret === undefined) {
    secret = randomBytes(32).toString('base64url');
    logger.warn(
      { env: STREAM_SECRET_ENV },
      `stream auth: no secret given, using a random one for this process; instances behind one load balancer must share one (set ${STREAM_SECRET_ENV})`,
    );
  }
  const key: KeyObject = streamSecretKey(secret);
  const ttlMs = settings.streamAuth.ttlMs ?? DEFAULT_STREAM_TOKEN_TTL_MS;
  const used = createOnceMemory(settings.streamAuth.maxRememberedTokens ?? 100_000);

  const carriers = registeredCarriers(container);
  for (const plugin of carriers) {
    const kind = streamAuthOf(plugin);
    if (kind === 'basic' && !streamCredentialsOf(plugin, container)) {
      logger.warn(
        { carrier: plugin.name, streamAuth: kind },
        "no stream credentials configured: this carrier's streams are refused",
      );
    }
    // A 'network' carrier is warned about by its byte-stream listener when that opens (server.ts
    // `listen`): registered without one, it takes no calls at all.
  }
  logger.info({ streamAuth: 'on', ttlMs }, 'stream auth: per-call stream tokens');

  async function checkCarriers(
    request: IncomingMessage,
    upgradeRequest: () => WebhookRequest,
  ): Promise<GateVerdict> {
    let refusal: GateVerdict | undefined;
    const authorization = request.headers.authorization;
    for (const plugin of registeredCarriers(container)) {
      const kind = streamAuthOf(plugin);
      if (kind === 'signed-upgrade' && plugin.verifyWebhook) {
        const verdict = await plugin.verifyWebhook(upgradeRequest(), container);
        if (verdict === 'valid') return { admitted: { carrier: plugin.name, via: 'signed-upgrade' } };
        if (verdict === 'invalid') refusal ??= { status: 403, kind: 'bad-signature' };
      } else if (kind === 'basic' && authorization !== undefined) {
        const credentials = streamCredentialsOf(plugin, container);
        if (credentials && basicMatches(authorization, credentials)) {
          return { admitted: { carrier: plugin.name, via: 'basic' } };
        }
        refusal ??= { status: 403, kind: 'bad-basic-auth' };
      }
    }
    return refusal ?? { status: 401, kind: 'no-token' };
  }

  return {
    enabled: true,
    mint: (carrier, callId) => mintStreamToken({ secret: key, carrier, callId, ttlMs }),
    // Synchronous for a token (no promise per call set-up); carriers' own hooks may be async.
    check(token, request, upgradeRequest) {
      if (token === undefined) return checkCarriers(request, upgradeRequest);
      const nowMs = Date.now();
      const read = readStreamToken(token, key, nowMs);
      if (read === 'invalid') return { status: 403, kind: 'bad-token' };
      if (read === 'expired') return { status: 403, kind: 'expired-token' };
      if (!used.claim(read.id, read.expiresAtMs, nowMs)) return { status: 403, kind: 'reused-token' };
      return { admitted: { carrier: read.carrier, callId: read.callId, via: 'token' } };
    },
    mismatch(admission, carrier, callId) {
      if (admission.via === 'off') return undefined;
      if (admission.carrier !== carrier) return 'stream credential is for another carrier';
      if (admission.callId !== undefined && admission.callId !== callId)
        return 'stream token is for another call';
      return undefined;
    },
  };
}

/** The carrier kinds that may let an upgrade in without a token (for the 401's `WWW-Authenticate`). */
export function acceptsBasic(container: DependencyContainer): boolean {
  return registeredCarriers(container).some(
    (plugin: CarrierPlugin<unknown, unknown>) => streamAuthOf(plugin) === 'basic',
  );
}
