// What the package promises about its entry points, checked on the sources: the main entry never loads
// vitest, the audio entry loads nothing outside its folder, entries list their names one by one, and
// no source names a carrier.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = import.meta.dirname;
const PACKAGES = resolve(SRC, '../..');

/** The carriers of the workspace, found by convention: the packages with a `testing` subpath. */
function carrierNames(): string[] {
  return readdirSync(PACKAGES).filter((name) => {
    try {
      const manifest = JSON.parse(readFileSync(join(PACKAGES, name, 'package.json'), 'utf8'));
      return manifest.exports?.['./testing'] !== undefined;
    } catch {
      return false;
    }
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1] ?? '');
}

/** Every module `entry` loads, and every bare specifier among them, following relative imports. */
function graphOf(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  visit(join(SRC, entry));
  return { files: [...files].map((file) => relative(SRC, file)), packages: [...packages] };
}

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('entry points', () => {
  it('@callwire/testing loads no test framework', () => {
    const { files, packages } = graphOf('index.ts');
    expect(files.length).toBeGreaterThan(5);
    expect(packages.filter((name) => /vitest|jest|mocha/.test(name))).toEqual([]);
  });

  it('@callwire/testing/audio depends on nothing but node', () => {
    const { files, packages } = graphOf('audio/index.ts');
    expect(files.every((file) => file.startsWith('audio/'))).toBe(true);
    expect(packages.every((name) => name.startsWith('node:'))).toBe(true);
  });

  it('@callwire/testing/vitest is where the kit is', () => {
    expect(graphOf('vitest/index.ts').packages).toContain('vitest');
  });

  it('each entry lists its names one by one (no export *)', () => {
    for (const entry of ['index.ts', 'audio/index.ts', 'vitest/index.ts']) {
      expect(readFileSync(join(SRC, entry), 'utf8'), entry).not.toMatch(/export \*/);
    }
  });

  it('no file names a carrier', () => {
    const carriers = carrierNames();
    expect(carriers.length, 'no carrier package found').toBeGreaterThan(0);
    const naming = new RegExp(carriers.join('|'), 'i');
    const files = sources().filter((file) => naming.test(readFileSync(file, 'utf8')));
    expect(files.map((file) => relative(SRC, file))).toEqual([]);
  });
});
