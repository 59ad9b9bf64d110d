import type { WebhookRequest } from '@callwire/core';

function fromBody(request: WebhookRequest, name: string): unknown {
  if (request.body === '') return undefined;
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('json') || request.body.trimStart().startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(request.body);
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>)[name]
        : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(request.body).get(name) ?? undefined;
}

function fromQuery(request: WebhookRequest, name: string): string | undefined {
  const query = request.url.indexOf('?');
  if (query < 0) return undefined;
  return new URLSearchParams(request.url.slice(query + 1)).get(name) ?? undefined;
}

/**
 * The first non-empty string field of a webhook request among `names`: from its body (form-encoded or
 * JSON), else its URL query (carriers call answer URLs with GET or POST). Never throws.
 */
export function answerField(request: WebhookRequest, ...names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = fromBody(request, name) ?? fromQuery(request, name);
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}
