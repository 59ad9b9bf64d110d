import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import {
  type FakeCarrierApi,
  type FakeFault,
  parseBearerToken,
  startFakeCarrierApi,
} from '@callwire/testing';

/** Options of `startFakeVonageApi`. */
export interface FakeVonageApiOptions {
  /**
   * PEM public key of the application: when given, the bearer JWT must be RS256-signed by the
   * matching private key and unexpired. Otherwise any well-formed JWT (three base64url parts) passes.
   */
  readonly publicKey?: string | KeyObject;
  /** When given (with `publicKey`), the JWT's `application_id` claim must equal it. */
  readonly applicationId?: string;
  readonly fault?: FakeFault;
}

const unauthorized = {
  status: 401,
  body: { type: 'https://developer.nexmo.com/api-errors#unauthorized', title: 'Unauthorized' },
} as const;

const base64Url = /^[A-Za-z0-9_-]+$/;

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** True when `token` is a well-formed JWT and, with a key, a valid RS256 one. */
function acceptsJwt(token: string, options: FakeVonageApiOptions, key: KeyObject | undefined): boolean {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => base64Url.test(part))) return false;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (!header || !payload) return false;
  if (!key) return true;
  if (header.alg !== 'RS256') return false;
  const signed = verify(
    'RSA-SHA256',
    Buffer.from(`${headerPart}.${payloadPart}`),
    key,
    Buffer.from(signaturePart, 'base64url'),
  );
  if (!signed) return false;
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) return false;
  if (options.applicationId !== undefined && payload.application_id !== options.applicationId) return false;
  return true;
}

const badRequest = {
  status: 400,
  body: { type: 'https://developer.nexmo.com/api-errors#bad-request', title: 'Bad Request' },
} as const;

function notFound(uuid: string) {
  return {
    status: 404,
    body: {
      type: 'https://developer.nexmo.com/api-errors#not-found',
      title: 'Not Found',
      detail: `Call ${uuid} was not found or has already ended`,
    },
  };
}

/**
 * A fake Vonage Voice API implementing, with `Authorization: Bearer <jwt>`, `PUT /v1/calls/{uuid}` with
 * JSON `{"action":"hangup"}` (204 the first time, then 404) or `{"action":"transfer","destination":
 * {"type":"ncco","ncco":[…]}}` (204), and `PUT /v1/calls/{uuid}/dtmf` with `{"digits"}` (200); both
 * 404 once the call was hung up.
 */
export function startFakeVonageApi(options: FakeVonageApiOptions = {}): Promise<FakeCarrierApi> {
  const ended = new Set<string>();
  const key =
    options.publicKey === undefined
      ? undefined
      : typeof options.publicKey === 'string'
        ? createPublicKey(options.publicKey)
        : options.publicKey;
  return startFakeCarrierApi(
    [
      {
        method: 'PUT',
        pattern: '/v1/calls/{uuid}',
        handle: ({ params, body }) => {
          const request = decodeBody(body) as
            | { action?: unknown; destination?: { type?: unknown; ncco?: unknown } }
            | undefined;
          const action = request?.action;
          const transfer =
            action === 'transfer' &&
            request?.destination?.type === 'ncco' &&
            Array.isArray(request.destination.ncco) &&
            request.destination.ncco.length > 0;
          if (action !== 'hangup' && !transfer) return badRequest;
          const uuid = params.uuid ?? '';
          if (ended.has(uuid)) return notFound(uuid);
          if (action === 'hangup') ended.add(uuid);
          return { status: 204 };
        },
      },
      {
        method: 'PUT',
        pattern: '/v1/calls/{uuid}/dtmf',
        handle: ({ params, body }) => {
          const digits = (decodeBody(body) as { digits?: unknown } | undefined)?.digits;
          if (typeof digits !== 'string' || !/^[0-9*#p]+$/.test(digits)) return badRequest;
          const uuid = params.uuid ?? '';
          if (ended.has(uuid)) return notFound(uuid);
          return { status: 200, body: { message: 'DTMF sent', uuid } };
        },
      },
    ],
    {
      ...(options.fault ? { fault: options.fault } : {}),
      authorize: ({ headers }) => {
        const token = parseBearerToken(headers.authorization);
        if (token === undefined || !acceptsJwt(token, options, key)) return unauthorized;
        return undefined;
      },
    },
  );
}

function decodeBody(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
