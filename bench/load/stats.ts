/** Summary of a sample of latencies, all in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** Percentiles (nearest rank) of the first `count` values of `values` (ms); sorts that prefix in place. */
export function summarizeLatencies(values: Float64Array, count = values.length): LatencySummary {
  const sorted = values.subarray(0, count).sort();
  const at = (fraction: number): number =>
    count === 0 ? Number.NaN : (sorted[Math.min(count - 1, Math.ceil(fraction * count) - 1)] ?? Number.NaN);
  return { count, p50Ms: at(0.5), p90Ms: at(0.9), p99Ms: at(0.99), maxMs: count === 0 ? Number.NaN : at(1) };
}

/** A growable list of float64 samples that allocates only when it doubles. */
export function createSampleList(initialCapacity = 1024): {
  push(value: number): void;
  readonly length: number;
  values(): Float64Array;
} {
  let buffer = new Float64Array(initialCapacity);
  let length = 0;
  return {
    push(value: number) {
      if (length === buffer.length) {
        const grown = new Float64Array(buffer.length * 2);
        grown.set(buffer);
        buffer = grown;
      }
      buffer[length++] = value;
    },
    get length() {
      return length;
    },
    values() {
      return buffer.subarray(0, length);
    },
  };
}
