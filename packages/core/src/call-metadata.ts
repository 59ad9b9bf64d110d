/** Who placed a call relative to the application: `inbound` means the caller dialled in. */
export type CallDirection = 'inbound' | 'outbound';

/**
 * What a carrier said about a call when its stream started, the same shape for every carrier
 * (`call.info` in `@callwire/server`). Fields a carrier does not send are absent.
 */
export interface CallMetadata {
  /** The caller's number or address, as the carrier wrote it (`+14155550100`, `sip:alice@…`). */
  readonly from?: string;
  /** The number or address that was called. */
  readonly to?: string;
  readonly direction?: CallDirection;
  /**
   * The application's own key/value pairs passed through the carrier (Twilio `<Parameter>`, Plivo
   * `extraHeaders`, Telnyx `client_state`, Genesys `customConfig`/`inputVariables`, channel variables…).
   */
  readonly customParameters: Readonly<Record<string, string>>;
  /** The carrier's opening message as it arrived (parsed JSON, or the raw bytes), for anything else. */
  readonly raw: unknown;
}

/** The most custom parameters kept from one call (the rest are dropped: the input is the network's). */
export const MAX_CUSTOM_PARAMETERS = 64;
/** Characters kept of each custom parameter value and of `from`/`to`. */
export const MAX_METADATA_VALUE_LENGTH = 1024;
const maxKeyLength = 128;

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return value.length > MAX_METADATA_VALUE_LENGTH ? value.slice(0, MAX_METADATA_VALUE_LENGTH) : value;
}

/**
 * Keeps the string-like entries of `value` (numbers and booleans become strings), at most
 * `MAX_CUSTOM_PARAMETERS` of them; anything else (nested objects, arrays, `null`) is left out.
 */
export function stringEntries(value: unknown): Record<string, string> {
  const entries: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return entries;
  let count = 0;
  for (const [key, entry] of Object.entries(value)) {
    if (count === MAX_CUSTOM_PARAMETERS) break;
    const kept = text(entry);
    if (kept === undefined || key.length === 0 || key.length > maxKeyLength) continue;
    entries[key] = kept;
    count++;
  }
  return entries;
}

/** What a carrier knows of a call's metadata; `callMetadata` checks and bounds it. */
export interface CallMetadataFields {
  readonly from?: unknown;
  readonly to?: unknown;
  readonly direction?: unknown;
  readonly customParameters?: unknown;
  readonly raw?: unknown;
}

/** A `CallMetadata` from untrusted fields: non-strings dropped, sizes bounded, never throws. */
export function callMetadata(fields: CallMetadataFields = {}): CallMetadata {
  const from = text(fields.from);
  const to = text(fields.to);
  const direction =
    fields.direction === 'inbound' || fields.direction === 'outbound' ? fields.direction : undefined;
  return {
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(direction === undefined ? {} : { direction }),
    customParameters: stringEntries(fields.customParameters),
    raw: fields.raw,
  };
}

/**
 * Parses `k=v` pairs separated by `;` or `,` (Plivo's `extra_headers`, SIP-style header lists) into a
 * string map. Pairs without `=` are skipped.
 */
export function parseKeyValuePairs(list: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const part of list.split(/[;,]/)) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    pairs[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return pairs;
}
