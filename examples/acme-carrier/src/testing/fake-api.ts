import { type FakeCarrierApi, parseBearerToken, startFakeCarrierApi } from '@callwire/testing';

/**
 * A fake Acme REST API on 127.0.0.1: `DELETE /v1/calls/{callId}` with `Bearer <apiKey>` answers 204
 * the first time and 404 after; a wrong or missing key gets 401.
 */
export function startFakeAcmeApi(apiKey: string): Promise<FakeCarrierApi> {
  const ended = new Set<string>();
  return startFakeCarrierApi(
    [
      {
        method: 'DELETE',
        pattern: '/v1/calls/{callId}',
        handle: ({ params }) => {
          const callId = params.callId ?? '';
          if (ended.has(callId)) return { status: 404, body: { error: 'no such call' } };
          ended.add(callId);
          return { status: 204 };
        },
      },
    ],
    {
      authorize: ({ headers }) =>
        parseBearerToken(headers.authorization) === apiKey
          ? undefined
          : { status: 401, body: { error: 'bad key' } },
    },
  );
}
