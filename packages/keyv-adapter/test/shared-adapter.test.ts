import { InvalidArgumentError } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import Keyv5 from 'keyv';
import { Keyv as Keyv6 } from 'keyv6';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The built package: a second copy of @dalli/core, as an app with two installed copies has.
import { Client as OtherCopyClient } from '../../core/dist/index.mjs';
import { KeyvDalli, KeyvDalliV5 } from '../src/index.ts';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

describe('one adapter, two Keyv namespaces', () => {
  it("Keyv 6: refuses the second namespace instead of serving one Keyv the other one's values", async () => {
    const adapter = new KeyvDalli(memcached.address);
    new Keyv6({ store: adapter, namespace: 'k1' });
    expect(() => new Keyv6({ store: adapter, namespace: 'k2' })).toThrow(InvalidArgumentError);
    expect(() => new Keyv6({ store: adapter, namespace: 'k2' })).toThrow(/already serves the Keyv namespace "k1"/);
    await adapter.disconnect();
  });

  it("Keyv 5: refuses the second namespace instead of letting one Keyv's clear() wipe the other", async () => {
    const adapter = new KeyvDalliV5(memcached.address);
    new Keyv5({ store: adapter, namespace: 'k1' });
    expect(() => new Keyv5({ store: adapter, namespace: 'k2' })).toThrow(InvalidArgumentError);
    await adapter.disconnect();
  });

  it('keeps two Keyvs apart when each has its own adapter over one shared client', async () => {
    const shared = new KeyvDalli(memcached.address);
    const k1 = new Keyv6({ store: new KeyvDalli(shared.client), namespace: 'k1' });
    const k2 = new Keyv6({ store: new KeyvDalli(shared.client), namespace: 'k2' });
    await k1.set('foo', 'one');
    await k2.set('foo', 'two');
    await k1.clear();
    expect(await k1.get('foo')).toBeUndefined();
    expect(await k2.get('foo')).toBe('two');
    await shared.disconnect();
  });
});

describe('iterator()', () => {
  it('Keyv 6: fails loudly, never yields nothing in silence', async () => {
    const keyv = new Keyv6({ store: new KeyvDalli(memcached.address), namespace: 'it' });
    await keyv.set('a', 1);
    const errors: unknown[] = [];
    keyv.on('error', (error: unknown) => errors.push(error));
    const seen = [];
    for await (const entry of keyv.iterator()) seen.push(entry);
    expect(seen).toEqual([]);
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_DALLI_ITERATOR_UNSUPPORTED' })]);
    await keyv.disconnect();
  });
});

describe('a client from another copy of @dalli/core', () => {
  it.each([
    ['KeyvDalli', (client: unknown) => new KeyvDalli(client as never)],
    ['KeyvDalliV5', (client: unknown) => new KeyvDalliV5(client as never)],
  ])('%s shares it (recognised by its brand, not instanceof) and leaves it open', async (_, make) => {
    const client = new OtherCopyClient(memcached.address);
    const adapter = make(client);
    expect(adapter.client).toBe(client);
    await adapter.set('brand', 'value');
    await adapter.disconnect();
    expect(await client.get('__dalli_brand_probe')).toBeUndefined(); // still open
    await client.close();
  });
});
