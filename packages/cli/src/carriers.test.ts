import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { plivo } from '@callwire/plivo';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CARRIER_KEYWORD,
  carrierOptionsFromEnvironment,
  discoverCarriers,
  isCarrierPlugin,
} from './carriers.js';
import { toy } from './test-support/toy-carrier.js';

const temporary: string[] = [];
afterEach(async () => {
  await Promise.all(temporary.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A package root whose dependencies are `packages` (name -> package.json fields and index.js text). */
async function fixture(packages: Record<string, { keywords?: string[]; index: string }>): Promise<URL> {
  const root = await mkdtemp(join(tmpdir(), 'callwire-discovery-'));
  temporary.push(root);
  const dependencies = Object.fromEntries(Object.keys(packages).map((name) => [name, '1.0.0']));
  await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies }));
  for (const [name, { keywords, index }] of Object.entries(packages)) {
    const dir = join(root, 'node_modules', name);
    await mkdir(dir, { recursive: true });
    const pkg = { name, type: 'module', exports: { '.': { import: './index.js' } }, keywords };
    await writeFile(join(dir, 'package.json'), JSON.stringify(pkg));
    await writeFile(join(dir, 'index.js'), index);
  }
  return pathToFileURL(join(root, 'package.json'));
}

const fakePlugin = (name: string) =>
  `{ name: '${name}', options: { safeParse: (v) => ({ success: true, data: v }) }, register() {} }`;

describe('discoverCarriers', () => {
  it("finds Plivo among @callwire/cli's own dependencies", async () => {
    expect((await discoverCarriers()).map((plugin) => plugin.name)).toEqual([
      'asterisk',
      'audiosocket',
      'exotel',
      'genesys',
      'jambonz',
      'plivo',
      'telnyx',
      'twilio',
      'vonage',
    ]);
  });

  it('imports only dependencies marked callwire-carrier, keeps every plugin they export, sorted by name', async () => {
    const packageJson = await fixture({
      'zeta-carrier': {
        keywords: [CARRIER_KEYWORD],
        index: `export const zeta = ${fakePlugin('zeta')}; export const alpha = ${fakePlugin('alpha')}; export const helper = () => 1;`,
      },
      'not-a-carrier': { keywords: ['audio'], index: "throw new Error('must not be imported');" },
      'beta-carrier': { keywords: [CARRIER_KEYWORD], index: `export default ${fakePlugin('beta')};` },
    });
    expect((await discoverCarriers(packageJson)).map((plugin) => plugin.name)).toEqual([
      'alpha',
      'beta',
      'zeta',
    ]);
  });

  it('names a dependency that is not installed', async () => {
    const packageJson = await fixture({});
    const root = new URL('.', packageJson);
    await writeFile(new URL('package.json', root), JSON.stringify({ dependencies: { 'gone-carrier': '1' } }));
    await expect(discoverCarriers(packageJson)).rejects.toMatchObject({
      code: 'CONFIG',
      message: expect.stringContaining('gone-carrier'),
    });
  });
});

describe('carrier plugins and their environment', () => {
  it('recognises a plugin by its name, zod options and register', () => {
    expect(isCarrierPlugin(plivo)).toBe(true);
    expect(isCarrierPlugin(toy)).toBe(true);
    expect(isCarrierPlugin({ name: 'x', register() {} })).toBe(false);
    expect(isCarrierPlugin({ name: 'x', options: {}, register() {} })).toBe(false);
    expect(isCarrierPlugin(() => undefined)).toBe(false);
  });

  it('reads options through the environment map, leaving out unset and empty variables', () => {
    expect(
      carrierOptionsFromEnvironment(plivo, {
        PLIVO_AUTH_ID: 'MA1',
        PLIVO_AUTH_TOKEN: '',
        PLIVO_API_BASE_URL: 'http://127.0.0.1:1',
        TOY_TOKEN: 't',
      }),
    ).toEqual({ authId: 'MA1', apiBaseUrl: 'http://127.0.0.1:1' });
    expect(carrierOptionsFromEnvironment({}, { TOY_TOKEN: 't' })).toEqual({});
  });
});
