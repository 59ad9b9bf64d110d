import type { WebhookResponse } from '@callwire/core';

/**
 * A carrier's answer document (`build()`'s markup), or a 500 saying `[carrier] cannot answer: <problem>`
 * when it cannot be built: only a stream URL the carrier cannot use gets there, which is the server's
 * misconfiguration, not the caller's.
 */
export function answerDocument(
  carrier: string,
  contentType: string,
  build: () => string,
  problem = 'bad stream URL',
): WebhookResponse {
  try {
    return { contentType, body: build() };
  } catch {
    return {
      status: 500,
      contentType: 'text/plain; charset=utf-8',
      body: `[${carrier}] cannot answer: ${problem}\n`,
    };
  }
}
