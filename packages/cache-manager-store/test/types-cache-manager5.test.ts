import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { copyPackage, link, root } from './support/scratch-app.ts';

// An app on NestJS 10 with @nestjs/cache-manager 2 and cache-manager 5 (the versions the
// nestjs10 example installs), checked with tsc WITHOUT skipLibCheck, so this package's
// declarations are checked too: they must not import what only cache-manager 7 has.
// Built packages (dist/), as an app installs them.
const app = mkdtempSync(join(tmpdir(), 'dalli-types-cm5-'));
afterAll(() => rmSync(app, { recursive: true, force: true }));

const modules = join(app, 'node_modules');
const fromNest10Example = (name: string): string =>
  realpathSync(join(root, 'examples/nestjs10-app/node_modules', name));

it('caching(dalliStore, options) and CacheModule.register({ store: dalliStore }) type-check on cache-manager 5 without skipLibCheck (no TS2305)', () => {
  copyPackage('packages/core', join(modules, '@dalli/core'));
  copyPackage('packages/keyv-adapter', join(modules, '@dalli/keyv'));
  copyPackage('packages/cache-manager-store', join(modules, '@dalli/cache-manager'));
  for (const name of ['cache-manager', 'keyv', '@nestjs/cache-manager', '@nestjs/common', 'rxjs', 'reflect-metadata']) {
    link(fromNest10Example(name), join(modules, name));
  }
  link(realpathSync(join(root, 'node_modules/@types/node')), join(modules, '@types/node'));
  writeFileSync(
    join(app, 'app.ts'),
    `import { CacheModule } from '@nestjs/cache-manager';
import { caching, type Store } from 'cache-manager';
import { dalliStore } from '@dalli/cache-manager';

export const cache = await caching(dalliStore, { servers: '127.0.0.1:11211', namespace: 'app', ttl: 60_000 });
const store: Store = cache.store;
export const values: Promise<unknown[]> = store.mget('a', 'b');
export const removed: Promise<void> = cache.del('a');
export const module = CacheModule.register({ store: dalliStore, servers: '127.0.0.1:11211', ttl: 60_000 });
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        target: 'es2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        experimentalDecorators: true,
      },
      files: ['app.ts'],
    }),
  );
  writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
  const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', app], { encoding: 'utf8', timeout: 60_000 });
  const errors = (result.stdout + result.stderr).split('\n').filter((line) => / error TS\d+:/.test(line));
  expect(result.status === 0 || errors.length > 0).toBe(true);
  // lru-cache 10 (cache-manager 5's dependency) is refused by every TypeScript from 5.6 on
  // (its iterators against lib's MapIterator), whatever else the app holds; nothing else may fail.
  expect(errors.filter((line) => !line.includes('/lru-cache@10.'))).toEqual([]);
});
