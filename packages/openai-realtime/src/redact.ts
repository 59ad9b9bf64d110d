/**
 * Credentials that may appear in text from the SDK or the network: OpenAI API keys (`sk-…`),
 * ephemeral client keys (`ek_…`) and bearer tokens. They are replaced before anything is logged.
 */
const SECRET_PATTERNS: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{6,}/g,
  /\bek_[A-Za-z0-9_-]{6,}/g,
  /\bBearer\s+[^\s"',]+/gi,
  /openai-insecure-api-key\.[^\s"',]+/g,
];

/** `text` with every credential-looking part replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return SECRET_PATTERNS.reduce((result, pattern) => result.replace(pattern, '[redacted]'), text);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? redactSecrets(value.slice(0, 500)) : undefined;
}

/**
 * A loggable description of what the SDK's `error` event carries: a Realtime API `error` event
 * (`{ type: 'error', error: { type, code, message } }`), an `Error`, or a socket's error event. Only
 * named string fields are kept (never the object itself, which may hold the socket and its request
 * headers), with credentials redacted.
 */
export function describeRealtimeError(error: unknown): Record<string, string> {
  const inner = field(error, 'error') ?? error;
  const described: Record<string, string> = {};
  for (const key of ['type', 'code', 'message', 'param'] as const) {
    const value = text(field(inner, key));
    if (value !== undefined) described[key] = value;
  }
  if (Object.keys(described).length === 0) described.message = redactSecrets(String(inner).slice(0, 500));
  return described;
}
