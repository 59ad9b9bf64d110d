import { type CallControl, hangUpOverRest, type Logger } from '@callwire/core';
import type { ResolvedAcmeOptions } from './options.js';

/**
 * Ends Acme calls with `DELETE {apiBaseUrl}/v1/calls/{callId}` and `Authorization: Bearer <apiKey>`:
 * 2xx ended, 404 already ended. The deadline, retries (network errors, 429, 5xx), call id checks,
 * never throwing and keeping the key out of every log line come from core's `hangUpOverRest`.
 */
export function acmeCallControl(options: ResolvedAcmeOptions, logger: Logger): CallControl {
  const { apiKey = '', apiBaseUrl, hangUpTimeoutMs } = options;
  return {
    carrier: 'acme',
    hangUp: (callId) =>
      hangUpOverRest({
        carrier: 'acme',
        callId,
        logger,
        deadlineMs: hangUpTimeoutMs,
        secrets: [apiKey],
        request: (encodedCallId) => ({
          method: 'DELETE',
          url: `${apiBaseUrl}/v1/calls/${encodedCallId}`,
          headers: { authorization: `Bearer ${apiKey}` },
        }),
      }),
  };
}
