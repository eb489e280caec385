import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { CACHE_MANAGER, CacheModule } from '@nestjs/cache-manager';
import { Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Cache } from 'cache-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dalliStore } from '../src/index.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const app = mkdtempSync(join(tmpdir(), 'dalli-nest-guard-'));
let memcached: MemcachedProcess;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(async () => {
  rmSync(app, { recursive: true, force: true });
  await memcached.stop();
});

/** memcached's count of sets so far. */
async function sets(): Promise<number> {
  const client = new Client(memcached.address);
  const stats = await client.stats();
  await client.close();
  return Number(stats[memcached.address]?.cmd_set);
}

/** Sets and reads one key through CACHE_MANAGER of an app built from `options`. */
async function roundTrip(options: Parameters<typeof CacheModule.register>[0]): Promise<unknown> {
  @Module({ imports: [CacheModule.register(options)] })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const nest = moduleRef.createNestApplication({ logger: false });
  await nest.init();
  const cache = nest.get<Cache>(CACHE_MANAGER);
  await cache.set('guarded', 'value');
  const value = await cache.get('guarded');
  await nest.close();
  return value;
}

describe('NestJS 12: CacheModule.register({ store: dalliStore })', () => {
  it('is ignored at run time: the cache answers from memory and memcached sees no write (what the guard is for)', async () => {
    const before = await sets();
    expect(await roundTrip({ store: dalliStore, servers: memcached.address } as never)).toBe('value');
    expect(await sets()).toBe(before);
    expect(await roundTrip({ stores: [dalliStore({ servers: memcached.address })] })).toBe('value');
    expect(await sets()).toBeGreaterThan(before);
  });

  it('is a compile error naming the fix once NestStoreGuard is merged into the options; stores: [dalliStore()] compiles', () => {
    const modules = join(app, 'node_modules');
    for (const [from, to] of [
      ['packages/core', '@dalli/core'],
      ['packages/keyv-adapter', '@dalli/keyv'],
      ['packages/cache-manager-store', '@dalli/cache-manager'],
    ] as const) {
      mkdirSync(join(modules, to), { recursive: true });
      for (const entry of ['package.json', 'dist'])
        cpSync(join(root, from, entry), join(modules, to, entry), { recursive: true });
    }
    const own = join(root, 'packages/cache-manager-store/node_modules');
    for (const name of [
      'cache-manager',
      'keyv',
      '@nestjs/cache-manager',
      '@nestjs/common',
      'rxjs',
      'reflect-metadata',
    ]) {
      mkdirSync(dirname(join(modules, name)), { recursive: true });
      symlinkSync(realpathSync(join(own, name)), join(modules, name));
    }
    symlinkSync(realpathSync(join(root, 'node_modules/@types')), join(modules, '@types'));
    writeFileSync(
      join(app, 'guard.ts'),
      `import type { NestStoreGuard } from '@dalli/cache-manager';

declare module '@nestjs/cache-manager' {
  interface CacheManagerOptions extends NestStoreGuard {}
}
`,
    );
    writeFileSync(
      join(app, 'app.ts'),
      `import { CacheModule } from '@nestjs/cache-manager';
import { dalliStore } from '@dalli/cache-manager';
import './guard.js';

export const right = CacheModule.register({ stores: [dalliStore({ servers: '127.0.0.1:11211' })], ttl: 60_000 });
export const wrong = CacheModule.register({ store: dalliStore, servers: '127.0.0.1:11211', ttl: 60_000 });
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { module: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        files: ['app.ts', 'guard.ts'],
      }),
    );
    writeFileSync(join(app, 'package.json'), JSON.stringify({ type: 'module' }));
    const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', '.'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    const errors = (result.stdout + result.stderr).split('\n').filter((line) => / error TS\d+:/.test(line));
    expect(errors).toEqual([expect.stringMatching(/^app\.ts\(6,\d+\): error TS2322: .*NestJS 11\+ ignores `store`/)]);
    expect(result.stdout).toContain('write `stores: [dalliStore({ servers })]`');
  });
});
