import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClientOptions, InvalidArgumentError } from '../../../src/index.ts';
import { DIALECTS } from '../../support/dialects.ts';

/** Own writes: each makes the next get of the key read the server, whatever the near cache held. */
const WRITES: readonly [string, (client: Client, key: string) => Promise<unknown>, string[]][] = [
  ['set', (client, key) => client.set(key, 'new'), []],
  ['replace', (client, key) => client.replace(key, 'new'), []],
  ['append', (client, key) => client.append(key, 'new'), []],
  ['prepend', (client, key) => client.prepend(key, 'new'), []],
  ['delete', (client, key) => client.delete(key), []],
  ['touch', (client, key) => client.touch(key, 1000), []],
  ['gat', (client, key) => client.gat(key, 1000), []],
  ['gats', (client, key) => client.gats(key, 1000), []],
  ['incr', (client, key) => client.incr(key, 1), []],
  ['decr', (client, key) => client.decr(key, 1), []],
  ['cas', (client, key) => client.cas(key, () => 'new'), []],
  ['setMulti', (client, key) => client.setMulti([[key, 'new']]), []],
  ['deleteMulti', (client, key) => client.deleteMulti([key]), []],
  ['flush', (client) => client.flush(), []],
  ['invalidate', (client, key) => client.invalidate(key), ['meta']],
];

/** Raw values read back as bytes: as text, or undefined on a miss. */
const text = (value: unknown): string | undefined =>
  value === undefined ? undefined : Buffer.from(value as Uint8Array).toString();

describe.each(DIALECTS)('%s protocol', (protocol) => {
  let memcached: MemcachedProcess;
  const clients: Client[] = [];
  let serial = 0;

  beforeAll(async () => {
    memcached = await startMemcached();
  });
  afterAll(() => memcached.stop());
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  function client(options: ClientOptions = {}): Client {
    // raw: values are strings, so append, prepend, incr and decr apply to what the near cache held.
    const made = new Client(memcached.address, { protocol, raw: true, nearCache: { ttl: 60 }, ...options });
    clients.push(made);
    return made;
  }
  const uniqueKey = (name: string) => `near-${protocol}-${name}-${serial++}`;

  /** memcached's count of get requests (every read command, including `mg <key> c`). */
  async function serverGets(): Promise<number> {
    const stats = await plain().stats();
    return Number(Object.values(stats)[0]?.cmd_get);
  }
  let plainClient: Client | undefined;
  function plain(): Client {
    plainClient ??= client({ nearCache: false });
    return plainClient;
  }
  afterEach(() => {
    plainClient = undefined;
  });

  it('serves a fresh entry from memory, without a server get', async () => {
    const near = client();
    const key = uniqueKey('fresh');
    await near.set(key, 'value');
    expect(text(await near.get(key))).toBe('value');
    const before = await serverGets();
    for (let i = 0; i < 20; i++) expect(text(await near.get(key))).toBe('value');
    expect(await serverGets()).toBe(before);
    expect(near.nearCacheStats()).toMatchObject({ hits: 20, misses: 1, entries: 1 });
  });

  it('keeps no miss: an absent key is asked for every time', async () => {
    const near = client();
    const key = uniqueKey('absent');
    const before = await serverGets();
    expect(text(await near.get(key))).toBeUndefined();
    expect(text(await near.get(key))).toBeUndefined();
    expect(await serverGets()).toBe(before + 2);
  });

  it.each(WRITES.filter(([, , only]) => only.length === 0 || only.includes(protocol)))(
    "shows this client's own %s at once",
    async (_name, write) => {
      const near = client();
      const key = uniqueKey('write');
      await near.set(key, '5');
      expect(text(await near.get(key))).toBe('5');
      await write(near, key);
      const seen = text(await near.get(key));
      const truth = text(await plain().get(key));
      expect(seen).toEqual(truth);
      expect(near.nearCacheStats()?.misses).toBe(2);
    },
  );

  it('does not put back a value read while a write of the key was in flight', async () => {
    const near = client();
    const key = uniqueKey('race');
    await near.set(key, 'old');
    const [read] = await Promise.all([near.get(key), near.set(key, 'new')]);
    expect(text(read)).toBe('old');
    expect(text(await near.get(key))).toBe('new');
  });

  it('getMulti serves the fresh keys locally and sends only the others, in the order given', async () => {
    const near = client();
    const [a, b, c] = [uniqueKey('a'), uniqueKey('b'), uniqueKey('c')];
    await near.setMulti([
      [a, 'A'],
      [b, 'B'],
      [c, 'C'],
    ]);
    text(await near.get(a));
    text(await near.get(c));
    const before = await serverGets();
    const found = await near.getMulti([c, b, a, uniqueKey('absent')]);
    expect([...found].map(([key, value]) => [key, text(value)])).toEqual([
      [c, 'C'],
      [b, 'B'],
      [a, 'A'],
    ]);
    expect(await serverGets()).toBe(before + 2);
    expect(text(await near.get(b))).toBe('B');
    expect(await serverGets()).toBe(before + 2);
  });

  it('near: false reads from the server and leaves the near cache as it was', async () => {
    const near = client();
    const key = uniqueKey('bypass');
    await near.set(key, 'value');
    const before = await serverGets();
    expect(text(await near.get(key, { near: false }))).toBe('value');
    expect(text((await near.getMulti([key], { near: false })).get(key))).toBe('value');
    expect(await serverGets()).toBe(before + 2);
    expect(near.nearCacheStats()).toMatchObject({ hits: 0, misses: 0, entries: 0 });
  });

  it('refuses a near option that is not a boolean, before sending anything', async () => {
    const near = client();
    const before = await serverGets();
    await expect(near.get('k', { near: 'no' } as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await serverGets()).toBe(before);
  });

  it('fetch returns a fresh near-cache value without reading or computing', async () => {
    const near = client();
    const key = uniqueKey('fetch');
    await near.set(key, 'cached');
    text(await near.get(key));
    const before = await serverGets();
    expect(text(await near.fetch(key, () => 'computed'))).toBe('cached');
    expect(await serverGets()).toBe(before);
  });

  it('reads an entry again once its ttl has passed', async () => {
    const near = client({ nearCache: { ttl: 0.05 } });
    const key = uniqueKey('expired');
    await near.set(key, 'v1');
    text(await near.get(key));
    await plain().set(key, 'v2');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(text(await near.get(key))).toBe('v2');
  });
});
