import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../../src/index.ts';
import { type Memjs, memjsClient } from '../../support/npm-peers.ts';
import { rubyDalliAvailable, runRubyDalli } from '../../support/ruby-dalli.ts';

// What clients that know nothing of leases read while a meta fetch computes a missing key: Ruby's
// Dalli 3 (binary, its default), memjs 1.3.2, and this library in binary and text.
const describeWithRuby = describe.skipIf(!rubyDalliAvailable);
if (!rubyDalliAvailable) console.warn('lease visibility tests skipped: `ruby -e "require \'dalli\'"` failed');

let memcached: MemcachedProcess;
let memjs: Memjs;
const clients: Client[] = [];
const newClient = (protocol: 'meta' | 'binary' | 'text'): Client => {
  const made = new Client(memcached.address, { protocol });
  clients.push(made);
  return made;
};

beforeAll(async () => {
  memcached = await startMemcached();
  memjs = memjsClient([memcached.address]);
});
afterAll(async () => {
  memjs.close();
  await Promise.all(clients.map((client) => client.close()));
  await memcached.stop();
});

/** Starts a meta fetch of `key` whose compute holds until `finish()`; resolves once it computes. */
async function computing(key: string, lock?: 'lease') {
  let finish: () => void = () => {};
  let started: () => void = () => {};
  const held = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const inCompute = new Promise<void>((resolve) => {
    started = resolve;
  });
  const fetched = newClient('meta').fetch(
    key,
    60,
    async () => {
      started();
      await held;
      return 'computed';
    },
    { raw: true, lock },
  );
  await inCompute;
  return {
    finish: (): Promise<unknown> => {
      finish();
      return fetched;
    },
  };
}

/** Ruby Dalli 3's get, and its fetch with a block (which Rails' cache calls). */
const rubyReads = (key: string): [string | null, string] =>
  runRubyDalli<[string | null, string]>(
    "c = Dalli::Client.new(INPUT['address']); r = [c.get(INPUT['key']), c.fetch(INPUT['key'] + ':f') { 'ruby computed' }]; c.close; r",
    { address: memcached.address, key },
  );

const memjsRead = async (key: string): Promise<string | null> => (await memjs.get(key)).value?.toString() ?? null;

describeWithRuby('during a meta fetch compute (default lock), lease-unaware clients read a plain miss', () => {
  it('Ruby Dalli 3: get returns nil, not ""', async () => {
    const run = await computing('visible:ruby');
    expect(rubyReads('visible:ruby')).toEqual([null, 'ruby computed']);
    expect(await run.finish()).toBe('computed');
    expect(rubyReads('visible:ruby')[0]).toBe('computed');
  });

  it('memjs: get returns null, not an empty buffer', async () => {
    const run = await computing('visible:memjs');
    expect(await memjsRead('visible:memjs')).toBeNull();
    await run.finish();
    expect(await memjsRead('visible:memjs')).toBe('computed');
  });

  it('this library in binary and text: get misses', async () => {
    const run = await computing('visible:ours');
    expect(await newClient('binary').get('visible:ours')).toBeUndefined();
    expect(await newClient('text').get('visible:ours')).toBeUndefined();
    await run.finish();
    expect(String(await newClient('text').get('visible:ours', { raw: true }))).toBe('computed');
  });

  it("lock: 'lease' (opt-in) is memcached's stub: lease-unaware readers see \"\" during the compute", async () => {
    const run = await computing('visible:lease', 'lease');
    expect(await memjsRead('visible:lease')).toBe('');
    expect(rubyReads('visible:lease')[0]).toBe('');
    expect(await run.finish()).toBe('computed');
    expect(await memjsRead('visible:lease')).toBe('computed');
  });

  it('invalidate(grace): other clients keep reading the old value until the recompute is written', async () => {
    const meta = newClient('meta');
    await meta.set('visible:stale', 'old', 300, { raw: true });
    await meta.invalidate('visible:stale', { grace: 30 });
    let finish: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const fetched = meta.fetch('visible:stale', 60, () => held.then(() => 'new'), { raw: true });
    expect(await memjsRead('visible:stale')).toBe('old');
    expect(rubyReads('visible:stale')[0]).toBe('old');
    expect(String(await newClient('meta').fetch('visible:stale', 60, () => 'again', { raw: true }))).toBe('old');
    finish();
    expect(await fetched).toBe('new');
    expect(await memjsRead('visible:stale')).toBe('new');
  });
});
