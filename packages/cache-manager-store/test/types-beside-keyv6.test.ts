import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { copyPackage, link, root } from './support/scratch-app.ts';

// An app with keyv 6 beside cache-manager 7, laid out as npm lays it out: keyv 6 at the top,
// cache-manager's keyv 5 nested under it, and this package's own keyv 5 nested under it: a second
// copy, so a second, unrelated `Keyv` class. (TypeScript merges two copies of one package version,
// so the nested copy is marked as another 5.x release, as npm gives when cache-manager's ^5 range
// resolves to a newer keyv than this package's.) Built packages (dist/), checked with tsc.
const app = mkdtempSync(join(tmpdir(), 'dalli-types-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

const real = (path: string): string => realpathSync(join(root, path));
const modules = join(app, 'node_modules');

it('createCache({ stores: [dalliStore()] }) type-checks in an app that has keyv 6 (no TS2322)', () => {
  copyPackage('packages/core', join(modules, '@dalli/core'));
  copyPackage('packages/keyv-adapter', join(modules, '@dalli/keyv'));
  copyPackage('packages/cache-manager-store', join(modules, '@dalli/cache-manager'));
  const ownKeyv = join(modules, '@dalli/cache-manager/node_modules/keyv');
  cpSync(real('packages/cache-manager-store/node_modules/keyv'), ownKeyv, { recursive: true });
  link(
    join(dirname(real('packages/cache-manager-store/node_modules/keyv')), '@keyv'),
    join(ownKeyv, 'node_modules/@keyv'),
  );
  const manifest = JSON.parse(readFileSync(join(ownKeyv, 'package.json'), 'utf8'));
  writeFileSync(join(ownKeyv, 'package.json'), JSON.stringify({ ...manifest, version: '5.5.9' }));
  link(real('packages/keyv-adapter/node_modules/keyv6'), join(modules, 'keyv'));
  link(real('packages/cache-manager-store/node_modules/cache-manager'), join(modules, 'cache-manager'));
  link(real('node_modules/@types/node'), join(modules, '@types/node'));
  writeFileSync(
    join(app, 'app.ts'),
    `import { createCache } from 'cache-manager';
import { dalliStore } from '@dalli/cache-manager';
export const cache = createCache({ stores: [dalliStore({ servers: '127.0.0.1:11211' })] });
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
      files: ['app.ts'],
    }),
  );
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', app], { encoding: 'utf8', timeout: 60_000 });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});
