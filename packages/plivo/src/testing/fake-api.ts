import { type FakeCarrierApi, type FakeFault, parseBasicAuth, startFakeCarrierApi } from '@callwire/testing';

/** Options of `startFakePlivoApi`. */
export interface FakePlivoApiOptions {
  /** With `authToken`, the only basic-auth credentials accepted (401 otherwise). */
  readonly authId?: string;
  readonly authToken?: string;
  /** The fault applied from the first request on. */
  readonly fault?: FakeFault;
}

const unauthorized = { status: 401, body: { api_id: 'fake', error: 'not authorized' } } as const;

/**
 * A fake Plivo REST API implementing the call hang-up route
 * `DELETE /v1/Account/{authId}/Call/{callId}/` (204 the first time for a call id, 404 after) and the
 * Transfer API `POST` on the same path with JSON `{ legs: 'aleg', aleg_url }` (202; 400 without an
 * http(s) `aleg_url`; 404 once the call was hung up).
 * Checks HTTP basic auth against `{ authId, authToken }` when given (any credentials otherwise;
 * a missing or malformed `Authorization` header is always 401).
 */
export function startFakePlivoApi(options: FakePlivoApiOptions = {}): Promise<FakeCarrierApi> {
  const ended = new Set<string>();
  const checkCredentials = options.authId !== undefined && options.authToken !== undefined;
  return startFakeCarrierApi(
    [
      {
        method: 'DELETE',
        pattern: '/v1/Account/{authId}/Call/{callId}/',
        handle: ({ params }) => {
          const callId = params.callId ?? '';
          if (ended.has(callId)) {
            return { status: 404, body: { api_id: 'fake', error: 'not found' } };
          }
          ended.add(callId);
          return { status: 204 };
        },
      },
      {
        method: 'POST',
        pattern: '/v1/Account/{authId}/Call/{callId}/',
        handle: ({ params, body }) => {
          let request: { legs?: unknown; aleg_url?: unknown } | undefined;
          try {
            request = JSON.parse(body) as typeof request;
          } catch {
            request = undefined;
          }
          if (
            request?.legs !== 'aleg' ||
            typeof request.aleg_url !== 'string' ||
            !/^https?:\/\//.test(request.aleg_url)
          ) {
            return { status: 400, body: { api_id: 'fake', error: 'aleg_url is required for legs aleg' } };
          }
          if (ended.has(params.callId ?? ''))
            return { status: 404, body: { api_id: 'fake', error: 'not found' } };
          return { status: 202, body: { api_id: 'fake', message: 'call transferred' } };
        },
      },
    ],
    {
      ...(options.fault ? { fault: options.fault } : {}),
      authorize: ({ headers, params }) => {
        const credentials = parseBasicAuth(headers.authorization);
        if (!credentials) return unauthorized;
        if (!checkCredentials) return undefined;
        const ok =
          credentials.user === options.authId &&
          credentials.password === options.authToken &&
          params.authId === options.authId;
        return ok ? undefined : unauthorized;
      },
    },
  );
}
