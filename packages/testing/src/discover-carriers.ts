import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CarrierHarness } from './harness.js';

/** A carrier found by convention (one per plugin name a package's harnesses test), with its harnesses. */
export interface DiscoveredCarrier {
  /** The plugin's name (`'acme'`). */
  readonly name: string;
  /** The package's name (`'@callwire/acme'`). */
  readonly packageName: string;
  readonly directory: string;
  /** Every harness of the carrier (one per wire format it is tested with). */
  readonly harnesses: readonly CarrierHarness<unknown, unknown>[];
}

interface CarrierPackageJson {
  readonly name?: string;
  readonly keywords?: readonly string[];
  readonly exports?: Record<string, { readonly import?: string } | undefined>;
}

/**
 * The carriers of the packages under `packagesDirectory` (a monorepo's `packages/`), by convention: a
 * package whose `keywords` include `callwire-carrier` and whose `./testing` entry (built) exports
 * `harnesses`, one entry per plugin those harnesses test.
 * Sorted by name. Tools (bench, fuzz, the simulator's demo) use this, so adding a carrier needs no edit
 * to them. Throws when a carrier package is not built, naming it.
 */
export async function discoverCarriers(packagesDirectory: string): Promise<DiscoveredCarrier[]> {
  const found: DiscoveredCarrier[] = [];
  for (const entry of readdirSync(packagesDirectory).sort()) {
    const directory = join(packagesDirectory, entry);
    const manifest = join(directory, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as CarrierPackageJson;
    const testingEntry = pkg.exports?.['./testing']?.import;
    if (!pkg.keywords?.includes('callwire-carrier') || testingEntry === undefined) continue;
    const file = join(directory, testingEntry);
    if (!existsSync(file)) throw new Error(`${pkg.name ?? entry} is not built: ${file} is missing`);
    const module = (await import(pathToFileURL(file).href)) as {
      harnesses?: readonly CarrierHarness<unknown, unknown>[];
    };
    const harnesses = module.harnesses ?? [];
    if (harnesses.length === 0) throw new Error(`${pkg.name ?? entry}/testing exports no harnesses`);
    // A package may hold several carriers (one plugin per wire protocol): one entry each.
    const byName = new Map<string, CarrierHarness<unknown, unknown>[]>();
    for (const harness of harnesses) {
      byName.set(harness.plugin.name, [...(byName.get(harness.plugin.name) ?? []), harness]);
    }
    for (const [name, own] of byName) {
      found.push({ name, packageName: pkg.name ?? entry, directory, harnesses: own });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
