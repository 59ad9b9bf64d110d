import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CallwireError, type CarrierPlugin } from '@callwire/core';

/** The `keywords` entry that marks a package as a Callwire carrier (its exports include a `CarrierPlugin`). */
export const CARRIER_KEYWORD = 'callwire-carrier';

/** Any carrier's plugin, options unknown until its schema has parsed them. */
export type AnyCarrierPlugin = CarrierPlugin<unknown, unknown>;

interface PackageJson {
  readonly name?: string;
  readonly keywords?: readonly string[];
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly exports?: unknown;
  readonly main?: string;
}

/** True for a `CarrierPlugin`: a `name`, a zod `options` schema and a `register` function. */
export function isCarrierPlugin(value: unknown): value is AnyCarrierPlugin {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'name' | 'options' | 'register', unknown>>;
  return (
    typeof candidate.name === 'string' &&
    typeof candidate.register === 'function' &&
    typeof candidate.options === 'object' &&
    candidate.options !== null &&
    typeof (candidate.options as { safeParse?: unknown }).safeParse === 'function'
  );
}

/** The directory of dependency `name` as Node resolves it from `fromDir`: the nearest `node_modules/<name>` up the tree. */
function packageDirectory(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

async function readPackageJson(directory: string): Promise<PackageJson> {
  return JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as PackageJson;
}

/** This package's own package.json (dist/carriers.js and src/carriers.ts both sit one level below it). */
const ownPackageJson = new URL('../package.json', import.meta.url);

/**
 * The carriers of every dependency whose package.json `keywords` include `callwire-carrier`: each such
 * package is imported and every exported `CarrierPlugin` kept. Sorted by name, so registration (and carrier
 * detection) order does not depend on the order of `dependencies`. Only `dependencies` count: adding a carrier
 * to `callwire serve` is adding it there. `packageJson` defaults to this package's own.
 */
export async function discoverCarriers(packageJson: URL = ownPackageJson): Promise<AnyCarrierPlugin[]> {
  const root = dirname(fileURLToPath(packageJson));
  const { dependencies = {} } = await readPackageJson(root);
  const byName = new Map<string, AnyCarrierPlugin>();
  for (const dependency of Object.keys(dependencies).sort()) {
    const directory = packageDirectory(dependency, root);
    if (!directory) {
      throw new CallwireError('CONFIG', `[cli] dependency ${dependency} is not installed`);
    }
    const pkg = await readPackageJson(directory);
    if (!pkg.keywords?.includes(CARRIER_KEYWORD)) continue;
    const exported: Record<string, unknown> = await import(entryUrl(dependency, directory, pkg));
    for (const value of Object.values(exported)) {
      if (isCarrierPlugin(value)) byName.set(value.name, value);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The file URL of a package's `.` entry: `exports["."]` (its `import` or `default` condition), else `main`.
 * Node's own resolver cannot start from another package's directory, and carrier packages are ESM-only.
 */
function entryUrl(name: string, directory: string, pkg: PackageJson): string {
  const conditions = (value: unknown): Record<string, unknown> | undefined =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  const dot = conditions(pkg.exports)?.['.'] ?? pkg.exports;
  const target =
    typeof dot === 'string' ? dot : (conditions(dot)?.import ?? conditions(dot)?.default ?? pkg.main);
  if (typeof target !== 'string') {
    throw new CallwireError('CONFIG', `[cli] carrier package ${name} has no "." entry to import`);
  }
  return pathToFileURL(join(directory, target)).href;
}

/**
 * A carrier's options from `env`, through its `environment` map (option name -> variable name). Unset and
 * empty variables are left out, so the carrier's schema fills in its defaults.
 */
export function carrierOptionsFromEnvironment(
  plugin: Pick<AnyCarrierPlugin, 'environment'>,
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const options: Record<string, string> = {};
  for (const [option, variable] of Object.entries(plugin.environment ?? {})) {
    const value = env[variable];
    if (value) options[option] = value;
  }
  return options;
}
