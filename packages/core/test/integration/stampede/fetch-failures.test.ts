import { randomBytes } from 'node:crypto';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, DalliError, type FetchOptions, type ProtocolName, ValueTooLargeError } from '../../../src/index.ts';
import { DIALECTS } from '../../support/dialects.ts';

// One real memcached for the file; every client is a separate connection (a separate "process"
// as far as memcached and the lock keys are concerned).
let memcached: MemcachedProcess;
let observer: Client;
const clients: Client[] = [];
const newClient = (protocol: ProtocolName): Client => {
  const made = new Client(memcached.address, { protocol });
  clients.push(made);
  return made;
};

beforeAll(async () => {
  memcached = await startMemcached();
  observer = new Client(memcached.address, { protocol: 'meta' });
});
afterAll(async () => {
  await Promise.all([observer, ...clients].map((client) => client.close()));
  await memcached.stop();
});

/** A value memcached refuses (2 MiB that compression cannot bring under 1 MiB): the write fails. */
const tooLarge = randomBytes(2 * 1024 * 1024).toString('base64');

// The elections that take something a failure must give back: lock keys and leases.
describe.each([
  ['meta', {}],
  ['meta', { lock: 'lease' }],
  ['binary', { lock: true }],
  ['text', { lock: true }],
] as const)('%s with %o: a failed fetch gives back its lock at once', (protocol, lock: FetchOptions) => {
  // The second caller does not wait at all: a lock still held makes it throw a TimeoutError.
  const impatient = { ...lock, lockTtl: 30, waitTimeout: 0, onWaitTimeout: 'throw' } as const;
  const prefix = `failed:${protocol}:${lock.lock ?? 'default'}`;

  it('compute throws: the next caller elsewhere computes at once', async () => {
    const key = `${prefix}:compute`;
    const failing = newClient(protocol).fetch(key, 60, () => Promise.reject(new Error('backend down')), lock);
    await expect(failing).rejects.toThrow('backend down');
    expect(await newClient(protocol).fetch(key, 60, () => 'second', impatient)).toBe('second');
  });

  it('the write fails (value too large): the next caller elsewhere computes at once', async () => {
    const key = `${prefix}:write`;
    await expect(newClient(protocol).fetch(key, 60, () => tooLarge, lock)).rejects.toThrow(ValueTooLargeError);
    expect(await newClient(protocol).fetch(key, 60, () => 'second', impatient)).toBe('second');
  });

  it('fetchMulti whose compute throws: each key is computed at once elsewhere', async () => {
    const keys = [`${prefix}:multi-compute:a`, `${prefix}:multi-compute:b`];
    const failing = newClient(protocol).fetchMulti(keys, 60, () => Promise.reject(new Error('backend down')), lock);
    await expect(failing).rejects.toThrow('backend down');
    const second = newClient(protocol);
    expect(await Promise.all(keys.map((key) => second.fetch(key, 60, () => 'second', impatient)))).toEqual([
      'second',
      'second',
    ]);
  });

  it('fetchMulti whose one write fails: that key and the others are computed at once elsewhere', async () => {
    const keys = [`${prefix}:multi-write:a`, `${prefix}:multi-write:b`];
    const values = new Map([
      [keys[0] as string, 'fine'],
      [keys[1] as string, tooLarge],
    ]);
    await expect(newClient(protocol).fetchMulti(keys, 60, () => values, lock)).rejects.toThrow(ValueTooLargeError);
    expect(await newClient(protocol).fetch(keys[1] as string, 60, () => 'second', impatient)).toBe('second');
  });
});

/** memcached's own counters of what reached it (the stats request itself counts in none). */
async function commandsSeen(): Promise<number> {
  const stats = (await observer.stats())[memcached.address] ?? {};
  return ['cmd_get', 'cmd_set', 'cmd_touch', 'delete_hits', 'delete_misses']
    .map((name) => Number(stats[name]))
    .reduce((sum, count) => sum + count, 0);
}

describe.each(DIALECTS)('%s: fetch and fetchMulti check every argument before the first byte', (protocol) => {
  let computes = 0;
  const compute = (): string => {
    computes++;
    return 'v';
  };
  const computeMissing = (keys: string[]): Map<string, string> => {
    computes++;
    return new Map(keys.map((key) => [key, 'v']));
  };
  type Call = (client: Client) => Promise<unknown>;
  const cases: [string, Call][] = [
    ['fetch with ttl -1', (client) => client.fetch('args:k', -1, compute)],
    ['fetch with a ttl past 2106', (client) => client.fetch('args:k', 2 ** 40, compute)],
    ["fetch with lock: 'yes'", (client) => client.fetch('args:k', 60, compute, { lock: 'yes' as unknown as boolean })],
    ['fetch with lockTtl 0', (client) => client.fetch('args:k', 60, compute, { lockTtl: 0 })],
    ['fetch of a key with a space', (client) => client.fetch('args k', 60, compute)],
    [
      'fetchMulti with one bad key among good ones',
      (client) => client.fetchMulti(['args:a', 'bad key'], 60, computeMissing),
    ],
    ['fetchMulti with ttl -1', (client) => client.fetchMulti(['args:a', 'args:b'], -1, computeMissing)],
    [
      "fetchMulti with lock: 'yes'",
      (client) => client.fetchMulti(['args:a'], 60, computeMissing, { lock: 'yes' as unknown as boolean }),
    ],
    [
      'fetchMulti with refreshAhead',
      (client) => client.fetchMulti(['args:a'], 60, computeMissing, { refreshAhead: 30 }),
    ],
    [
      'fetchMulti without a callback',
      (client) => client.fetchMulti(['args:a'], 60, 'v' as unknown as () => Map<string, string>),
    ],
  ];
  if (protocol !== 'meta') {
    cases.push(
      ['fetch with refreshAhead (meta only)', (client) => client.fetch('args:k', 60, compute, { refreshAhead: 30 })],
      ["fetch with lock: 'lease' (meta only)", (client) => client.fetch('args:k', 60, compute, { lock: 'lease' })],
      [
        "fetchMulti with lock: 'lease' (meta only)",
        (client) => client.fetchMulti(['args:a'], 60, computeMissing, { lock: 'lease' }),
      ],
    );
  }

  it.each(cases)('%s: a typed error, no compute, nothing sent', async (_, call) => {
    const client = newClient(protocol);
    await client.version();
    const before = await commandsSeen();
    computes = 0;
    await expect(call(client)).rejects.toBeInstanceOf(DalliError);
    expect(computes).toBe(0);
    expect(await commandsSeen()).toBe(before);
  });
});
