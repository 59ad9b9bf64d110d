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

const callEnded = {
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
} as const;

function jsonBody(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const invalid = (detail: string) => ({
  status: 422,
  body: { errors: [{ code: '10015', title: 'Invalid parameter', detail }] },
});

/**
 * A fake Telnyx Call Control API implementing, with `Authorization: Bearer {apiKey}`,
 * `POST /v2/calls/{call_control_id}/actions/hangup` (200 the first time, then 422 with error code
 * `90018`, "Call has already ended"), `…/actions/transfer` (`{ to }`) and `…/actions/send_dtmf`
 * (`{ digits }` of 0-9 A-D * # w W): 200, or 422/90018 once the call was hung up.
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
          if (ended.has(id)) return callEnded;
          ended.add(id);
          return { status: 200, body: { data: { result: 'ok' } } };
        },
      },
      {
        method: 'POST',
        pattern: '/v2/calls/{callControlId}/actions/transfer',
        handle: ({ params, body }) => {
          const to = jsonBody(body)?.to;
          if (typeof to !== 'string' || !/^(\+?[0-9]{2,20}|sips?:\S+)$/.test(to))
            return invalid('to is invalid');
          return ended.has(params.callControlId ?? '')
            ? callEnded
            : { status: 200, body: { data: { result: 'ok' } } };
        },
      },
      {
        method: 'POST',
        pattern: '/v2/calls/{callControlId}/actions/send_dtmf',
        handle: ({ params, body }) => {
          const request = jsonBody(body);
          if (typeof request?.digits !== 'string' || !/^[0-9A-D*#wW]+$/.test(request.digits)) {
            return invalid('digits is invalid');
          }
          const duration = request.duration_millis;
          if (duration !== undefined && (typeof duration !== 'number' || duration < 100 || duration > 500)) {
            return invalid('duration_millis must be 100-500');
          }
          return ended.has(params.callControlId ?? '')
            ? callEnded
            : { status: 200, body: { data: { result: 'ok' } } };
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
