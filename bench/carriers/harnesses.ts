import { fileURLToPath } from 'node:url';
import { type CarrierHarness, discoverCarriers } from '@callwire/testing';

/** The repository's `packages/` directory, where carriers are found by convention. */
export const packagesDirectory = fileURLToPath(new URL('../../packages/', import.meta.url));

/** One harness of a discovered carrier, with a label that tells its wire formats apart. */
export interface BenchHarness {
  /** The carrier's plugin name. */
  readonly carrier: string;
  /** `<carrier> <codec>/<kHz>k`, e.g. `acme mulaw/8k`. */
  readonly label: string;
  readonly harness: CarrierHarness<unknown, unknown>;
}

/** Every harness of every carrier under `packages/` (built), in discovery order. */
export async function discoverHarnesses(): Promise<BenchHarness[]> {
  const carriers = await discoverCarriers(packagesDirectory);
  return carriers.flatMap((carrier) =>
    carrier.harnesses.map((harness) => ({
      carrier: carrier.name,
      label: `${carrier.name} ${harness.wireCodec}/${harness.wireSampleRate / 1000}k`,
      harness,
    })),
  );
}

/** The harnesses `filter` names (a carrier name or a label; all when `filter` is empty or undefined). */
export function selectHarnesses(
  all: readonly BenchHarness[],
  filter: readonly string[] | undefined,
): BenchHarness[] {
  if (!filter || filter.length === 0) return [...all];
  return all.filter((entry) => filter.includes(entry.carrier) || filter.includes(entry.label));
}
