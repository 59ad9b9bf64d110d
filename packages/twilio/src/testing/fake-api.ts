import { type FakeCarrierApi, type FakeFault, parseBasicAuth, startFakeCarrierApi } from '@callwire/testing';

/** Options of `startFakeTwilioApi`. */
export interface FakeTwilioApiOptions {
  /** With `authToken`, the only basic-auth credentials accepted (401 otherwise). */
  readonly accountSid?: string;
  readonly authToken?: string;
  readonly fault?: FakeFault;
}

const unauthorized = {
  status: 401,
  body: {
    code: 20003,
    message: 'Authenticate',
    more_info: 'https://www.twilio.com/docs/errors/20003',
    status: 401,
  },
} as const;

/**
 * A fake Twilio REST API implementing the call update used to hang up and to transfer:
 * `POST /2010-04-01/Accounts/{sid}/Calls/{callSid}.json` with form body `Status=completed`
 * (or `canceled`), or `Twiml=<Response><Dial>…</Dial></Response>`, basic auth `sid:token`. 200 JSON;
 * once a call was hung up, 404 with `code: 20404`.
 */
export function startFakeTwilioApi(options: FakeTwilioApiOptions = {}): Promise<FakeCarrierApi> {
  const ended = new Set<string>();
  const checkCredentials = options.accountSid !== undefined && options.authToken !== undefined;
  return startFakeCarrierApi(
    [
      {
        method: 'POST',
        pattern: '/2010-04-01/Accounts/{sid}/Calls/{callSid}.json',
        handle: ({ params, body }) => {
          const callSid = params.callSid ?? '';
          const form = new URLSearchParams(body);
          const status = form.get('Status');
          const twiml = form.get('Twiml');
          const notFound = {
            status: 404,
            body: {
              code: 20404,
              message: `The requested resource /2010-04-01/Accounts/${params.sid}/Calls/${callSid}.json was not found`,
              more_info: 'https://www.twilio.com/docs/errors/20404',
              status: 404,
            },
          };
          if (twiml !== null && status === null) {
            if (!/^<Response><Dial[ >].*<\/Dial><\/Response>$/.test(twiml)) {
              return { status: 400, body: { code: 12100, message: 'Document parse failure', status: 400 } };
            }
            if (ended.has(callSid)) return notFound;
            return { status: 200, body: { sid: callSid, account_sid: params.sid, status: 'in-progress' } };
          }
          if (status !== 'completed' && status !== 'canceled') {
            return {
              status: 400,
              body: { code: 21218, message: 'Invalid call status', status: 400 },
            };
          }
          if (ended.has(callSid)) return notFound;
          ended.add(callSid);
          return { status: 200, body: { sid: callSid, account_sid: params.sid, status } };
        },
      },
    ],
    {
      ...(options.fault ? { fault: options.fault } : {}),
      authorize: ({ headers, params }) => {
        const given = parseBasicAuth(headers.authorization);
        if (!given) return unauthorized;
        // Without credentials to check, any basic auth passes (the fake only proves one was sent).
        const sid = options.accountSid;
        const accepted =
          !checkCredentials ||
          (given.user === sid && params.sid === sid && given.password === options.authToken);
        return accepted ? undefined : unauthorized;
      },
    },
  );
}
