import {
  type FakeCarrierApi,
  type FakeFault,
  parseBearerToken,
  startFakeCarrierApi,
} from '@callwire/testing';

/** Options of `startFakeTelnyxApi`. */
export interface FakeTelnyxApiOptions {
  /** The only bearer token accepted (any non-empty token otherwise). */
  readonly apiKey?: string;
  readonly fault?: FakeFault;
}

const unauthorized = {
  status: 401,
  body: { errors: [{ code: '10009', title: 'Authentication failed' }] },
} as const;

/**
 * A fake Telnyx Call Control API implementing
 * `POST /v2/calls/{call_control_id}/actions/hangup` with `Authorization: Bearer {apiKey}`:
 * 200 the first time, then 422 with error code `90018` ("Call has already ended").
 */
export function startFakeTelnyxApi(options: FakeTelnyxApiOptions = {}): Promise<FakeCarrierApi> {
  const ended = new Set<string>();
  return startFakeCarrierApi(
    [
      {
        method: 'POST',
        pattern: '/v2/calls/{callControlId}/actions/hangup',
        handle: ({ params }) => {
          const id = params.callControlId ?? '';
          if (ended.has(id)) {
            return {
              status: 422,
              body: {
                errors: [
                  {
                    code: '90018',
                    title: 'Call has already ended',
                    detail: "This call is no longer active and can't receive commands.",
                  },
                ],
              },
            };
          }
          ended.add(id);
          return { status: 200, body: { data: { result: 'ok' } } };
        },
      },
    ],
    {
      ...(options.fault ? { fault: options.fault } : {}),
      authorize: ({ headers }) => {
        const token = parseBearerToken(headers.authorization);
        if (token === undefined) return unauthorized;
        if (options.apiKey !== undefined && token !== options.apiKey) return unauthorized;
        return undefined;
      },
    },
  );
}
