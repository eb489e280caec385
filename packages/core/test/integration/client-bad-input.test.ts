import { type FaultProxy, freePort, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Client,
  ClosedError,
  ConnectionError,
  InvalidArgumentError,
  InvalidKeyError,
  ValueTooLargeError,
} from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;
let client: Client;

beforeAll(async () => {
  memcached = await startMemcached();
  proxy = await startFaultProxy(memcached);
});
afterAll(async () => {
  await proxy.close();
  await memcached.stop();
});

const cycle: Record<string, unknown> = {};
cycle.self = cycle;

type Call = () => Promise<unknown>;
const badCalls: [string, Call, new (...args: never[]) => Error][] = [
  ['an empty key', () => client.get(''), InvalidKeyError],
  ['a non-string key', () => client.get(42 as unknown as string), InvalidKeyError],
  ['a key with a space', () => client.set('a b', 1), InvalidKeyError],
  ['a key with a control character', () => client.delete('a\u0007b'), InvalidKeyError],
  ['a value over valueMaxBytes', () => client.set('k', 'x'.repeat(2000)), ValueTooLargeError],
  ['a value with a cycle', () => client.set('k', cycle), InvalidArgumentError],
  ['a BigInt without a serializer for it', () => client.set('k', { n: 1n }), InvalidArgumentError],
  ['a raw value that is an object', () => client.set('k', { a: 1 }, 0, { raw: true }), InvalidArgumentError],
  ['a negative TTL', () => client.set('k', 1, -1), InvalidArgumentError],
  ['a NaN TTL', () => client.touch('k', Number.NaN), InvalidArgumentError],
  ['an infinite TTL', () => client.add('k', 1, Number.POSITIVE_INFINITY), InvalidArgumentError],
  ['a negative incr amount', () => client.incr('k', -1), InvalidArgumentError],
  ['a fractional decr amount', () => client.decr('k', 1.5), InvalidArgumentError],
  ['an initial value over 64 bits', () => client.incr('k', 1, 0, 2n ** 64n), InvalidArgumentError],
  ['a negative CAS token', () => client.set('k', 1, 0, { cas: -1n }), InvalidArgumentError],
  ['a zero timeout', () => client.get('k', { timeout: 0 }), InvalidArgumentError],
  ['append of a number', () => client.append('k', 5 as unknown as string), InvalidArgumentError],
  ['a multi-get with a bad key', () => client.getMulti(['ok', '']), InvalidKeyError],
  [
    'a multi-set with an unserializable value',
    () =>
      client.setMulti([
        ['ok', 1],
        ['bad', cycle],
      ]),
    InvalidArgumentError,
  ],
  ['keys that are not iterable', () => client.getMulti(5 as unknown as string[]), InvalidArgumentError],
  ['a cas without a callback', () => client.cas('k', 5 as never), InvalidArgumentError],
  ['a negative flush delay', () => client.flush(-1), InvalidArgumentError],
  ['a fake AbortSignal', () => client.get('k', { signal: { aborted: false } as never }), InvalidArgumentError],
  ['options that are not an object', () => client.get('k', 'fast' as never), InvalidArgumentError],
  ['null options', () => client.delete('k', null as never), InvalidArgumentError],
  ['a per-call raw that is not a boolean', () => client.get('k', { raw: 'yes' as never }), InvalidArgumentError],
  [
    'a per-call compress that is not a boolean',
    () => client.set('k', 'v', 0, { compress: 1 as never }),
    InvalidArgumentError,
  ],
  [
    'a multi-set compress that is not a boolean',
    () => client.setMulti({ k: 'v' }, 0, { compress: 'no' as never }),
    InvalidArgumentError,
  ],
  ['a multi-get fake signal', () => client.getMulti(['k'], { signal: {} as never }), InvalidArgumentError],
  ['a stats call with non-object options', () => client.stats(undefined, 5 as never), InvalidArgumentError],
];

describe.each(DIALECTS)('bad input, %s protocol', (protocol) => {
  beforeAll(async () => {
    client = new Client(proxy.address, { valueMaxBytes: 1000, compress: false, protocol });
    await client.noop();
  });
  afterAll(() => client.close());

  it.each(badCalls)('rejects %s with a typed error, sending nothing', async (_, call, type) => {
    const chunksBefore = proxy.clientChunks;
    const neighbour = client.set('neighbour', 'safe');
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(type);
    expect((error as { code: string }).code).toMatch(/^ERR_DALLI_/);
    expect(await neighbour).toBe(true);
    expect(await client.get('neighbour')).toBe('safe');
    // Only the neighbour's set and get went out.
    expect(proxy.clientChunks - chunksBefore).toBe(2);
  });

  it('never puts the value in an error message', async () => {
    const error = (await client.set('k', 'SECRET-VALUE'.repeat(200)).catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain('SECRET');
  });

  it('refuses unknown options and bad option values at construction', () => {
    expect(() => new Client(memcached.address, { socketTimout: 1 } as never)).toThrow(/unknown option "socketTimout"/);
    expect(() => new Client(memcached.address, { socketTimeout: 0 })).toThrow(InvalidArgumentError);
    for (const inherited of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      const options = JSON.parse(`{"${inherited}": 1}`) as never;
      expect(() => new Client(memcached.address, options)).toThrow(InvalidArgumentError);
    }
    expect(() => new Client(memcached.address, { namespace: 'has space' })).toThrow(InvalidArgumentError);
  });

  it('refuses a server string it cannot parse, naming it', () => {
    expect(() => new Client('127.0.0.1:99999')).toThrow(/cannot parse server "127.0.0.1:99999"/);
    expect(() => new Client('')).toThrow(InvalidArgumentError);
    expect(() => new Client('a,,b')).toThrow(InvalidArgumentError);
    expect(() => new Client(42 as never)).toThrow(InvalidArgumentError);
  });
});

describe('failures', () => {
  it('reject with a ConnectionError naming server and operation when nothing listens', async () => {
    const port = await freePort();
    const nobody = new Client(`127.0.0.1:${port}`);
    const error = await nobody.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).message).toContain(`get on 127.0.0.1:${port}`);
    await nobody.close();
  });

  it('reject operations after close with a ClosedError', async () => {
    const closing = new Client(memcached.address);
    await closing.set('k', 1);
    await closing.close();
    await expect(closing.get('k')).rejects.toBeInstanceOf(ClosedError);
    await expect(closing.getMulti(['k'])).rejects.toBeInstanceOf(ClosedError);
    await expect(closing.version()).rejects.toBeInstanceOf(ClosedError);
  });

  it('reject at once when the AbortSignal has already fired', async () => {
    const aborted = new Client(memcached.address);
    await expect(aborted.get('k', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    await aborted.close();
  });
});
