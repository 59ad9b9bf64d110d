// Checks for carriers' hand-written `fastPath`s (see `InboundMessageSpec`), each exactly what the
// named zod schema accepts for a value that came out of `JSON.parse`.

/** True for a JSON object (not `null`, not an array): what `z.object` reads fields from. */
export function isJsonObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True for what `z.union([z.string(), z.number()])` accepts: any string, any finite number. */
export function isStringOrFiniteNumber(value: unknown): value is string | number {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}
