import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, InvalidArgumentError, ProtocolError, ServerError } from '../../src/index.ts';

let plain: MemcachedProcess;
let asciiOnly: MemcachedProcess;
const clients: Client[] = [];

beforeAll(async () => {
  [plain, asciiOnly] = await Promise.all([startMemcached(), startMemcached({ kind: 'ascii-only' })]);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await Promise.all([plain.stop(), asciiOnly.stop()]);
});

function client(...args: ConstructorParameters<typeof Client>): Client {
  const made = new Client(...args);
  clients.push(made);
  return made;
}

// A long timeout proves the failures below are fast: they are not timeouts.
const patient = { socketTimeout: 30, socketMaxFailures: 1 };

describe('a dialect the server does not speak', () => {
  it('binary against a server that refuses binary fails fast, saying to set protocol', async () => {
    const binary = client(asciiOnly.address, patient);
    const error = await binary.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).message).toMatch(
      /does not accept the binary protocol.*set protocol: 'meta' or 'text'/,
    );
  });

  it.each(['meta', 'text'] as const)('the same server answers the %s dialect', async (protocol) => {
    const other = client(asciiOnly.address, { ...patient, protocol });
    expect(await other.set(`k:${protocol}`, 'v')).toBe(true);
    expect(await other.get(`k:${protocol}`)).toBe('v');
  });
});

describe('getWithMetadata', () => {
  it('returns the value with its CAS, TTL left, hit-before and last access in meta', async () => {
    const meta = client(plain.address, { protocol: 'meta' });
    await meta.set('md:k', { a: 1 }, 100);
    const first = await meta.getWithMetadata('md:k');
    expect(first).toMatchObject({ value: { a: 1 }, hitBefore: false });
    expect(first?.ttl).toBeGreaterThan(95);
    expect(first?.ttl).toBeLessThanOrEqual(100);
    expect(first?.cas).toBe((await meta.gets('md:k'))?.cas);
    expect((await meta.getWithMetadata('md:k'))?.hitBefore).toBe(true);
    await meta.set('md:forever', 1);
    expect((await meta.getWithMetadata('md:forever'))?.ttl).toBe(-1);
    expect(await meta.getWithMetadata('md:absent')).toBeUndefined();
  });

  it.each(['binary', 'text'] as const)(
    'is refused in %s with an InvalidArgumentError before anything is sent',
    async (protocol) => {
      const other = client(plain.address, { protocol });
      const error = await other.getWithMetadata('md:k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).message).toMatch(
        `needs protocol 'meta'; this client speaks '${protocol}'`,
      );
      expect(other.servers()[0]?.connected).toBe(false);
    },
  );
});

describe('server errors in protocol-neutral words', () => {
  it.each(['binary', 'meta'] as const)(
    '%s: incr of a non-number is a ServerError with reason nonNumeric',
    async (protocol) => {
      const cache = client(plain.address, { protocol });
      await cache.set(`ne:${protocol}`, 'abc', 0, { raw: true });
      const error = await cache.incr(`ne:${protocol}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ServerError);
      expect((error as ServerError).reason).toBe('nonNumeric');
      // The connection is still in step.
      expect(await cache.get(`ne:${protocol}`, { raw: true })).toEqual(Buffer.from('abc'));
    },
  );
});

describe('incr and decr with an initial value in text, which has none', () => {
  it('creates the counter once, however many clients race to create it', async () => {
    const racers = Array.from({ length: 4 }, () => client(plain.address, { protocol: 'text' }));
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (racers[i % 4] as Client).incr('race:counter', 1, 60, 100)),
    );
    const sorted = results.map(Number).sort((a, b) => a - b);
    expect(sorted).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
    const meta = client(plain.address, { protocol: 'meta' });
    expect((await meta.getWithMetadata('race:counter', { raw: true }))?.ttl).toBeGreaterThan(55);
  });

  it('decrements a created counter from its initial value, stopping at 0', async () => {
    const text = client(plain.address, { protocol: 'text' });
    expect(await text.decr('race:down', 5, 0, 3)).toBe(3n);
    expect(await text.decr('race:down', 5, 0, 3)).toBe(0n);
  });
});
