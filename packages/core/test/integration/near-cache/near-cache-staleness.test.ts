import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../src/index.ts';

const WRITER = fileURLToPath(new URL('../../support/near-cache-writer.mjs', import.meta.url));
const TTL = 0.5;
const text = (value: unknown): string | undefined =>
  value === undefined ? undefined : Buffer.from(value as Uint8Array).toString();

/** Another process writes `value` under `key`; resolves once it has exited, the write stored. */
function writeFromAnotherProcess(address: string, key: string, value: string): void {
  const child = spawnSync(process.execPath, [WRITER, address, key, value], { encoding: 'utf8', timeout: 10_000 });
  expect(child.stdout.trim()).toBe('stored');
}

const sleepUntil = (time: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, time - performance.now()) + 1));

describe('near cache staleness', () => {
  let memcached: MemcachedProcess;
  const clients: Client[] = [];
  beforeAll(async () => {
    memcached = await startMemcached();
  });
  afterAll(() => memcached.stop());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  it.each(['meta', 'binary'] as const)(
    '%s: a write by another process is read at most ttl after the value was read',
    async (protocol) => {
      const near = new Client(memcached.address, { protocol, raw: true, nearCache: { ttl: TTL } });
      clients.push(near);
      const key = `stale-${protocol}`;
      await near.set(key, 'v1');
      const readAt = performance.now();
      expect(text(await near.get(key))).toBe('v1');
      // The entry's clock starts when its read was sent: after readAt, before the read resolved.
      const readDone = performance.now();
      writeFromAnotherProcess(memcached.address, key, 'v2');
      // Within the ttl the old value may still be served (from memory: that is the bound, stated).
      const early = performance.now() < readAt + TTL * 1000 ? text(await near.get(key)) : 'v1';
      expect(early).toBe('v1');
      await sleepUntil(readDone + TTL * 1000);
      expect(text(await near.get(key))).toBe('v2');
    },
  );
});

describe('meta revalidation (mg <key> c)', () => {
  let memcached: MemcachedProcess;
  let proxy: FaultProxy;
  let near: Client;
  let writer: Client;
  beforeAll(async () => {
    memcached = await startMemcached();
    proxy = await startFaultProxy(memcached);
    near = new Client(proxy.address, { protocol: 'meta', nearCache: { ttl: 0.05 } });
    writer = new Client(memcached.address, { protocol: 'meta' });
  });
  afterAll(async () => {
    await Promise.all([near.close(), writer.close()]);
    await proxy.close();
    await memcached.stop();
  });

  const serverBytes = () =>
    Buffer.concat(proxy.transcript.filter((entry) => entry.from === 'server').map((entry) => entry.bytes));
  const expire = () => new Promise((resolve) => setTimeout(resolve, 60));

  it('keeps an unchanged value without its bytes crossing the wire', async () => {
    const value = `unchanged-${'x'.repeat(20_000)}`;
    await writer.set('reval', value);
    expect(await near.get('reval')).toBe(value);
    await expire();
    proxy.transcript.length = 0;
    expect(await near.get('reval')).toBe(value);
    const replies = serverBytes().toString('latin1');
    expect(replies).toMatch(/^HD c\d+ kreval O\d+\r\n$/);
    expect(near.nearCacheStats()).toMatchObject({ unchanged: 1, changed: 0 });
  });

  it('reads a changed value again', async () => {
    await writer.set('reval2', 'first');
    expect(await near.get('reval2')).toBe('first');
    await writer.set('reval2', 'second');
    await expire();
    proxy.transcript.length = 0;
    expect(await near.get('reval2')).toBe('second');
    expect(serverBytes().toString('latin1')).toContain('"second"');
    expect(near.nearCacheStats()?.changed).toBe(1);
  });
});
