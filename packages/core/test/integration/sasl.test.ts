import {
  type FaultProxy,
  type MemcachedProcess,
  SASL_PASSWORD,
  SASL_USER,
  startFaultProxy,
  startMemcached,
} from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthError, Client } from '../../src/index.ts';
import { conversation, opcodesIn } from '../support/wire.ts';

const LIST_MECHS = 0x20;
const SASL_AUTH = 0x21;

let sasl: MemcachedProcess;
let proxy: FaultProxy;
const clients: Client[] = [];

beforeAll(async () => {
  sasl = await startMemcached({ kind: 'sasl', users: { [SASL_USER]: SASL_PASSWORD, other: 'second user password' } });
});
afterAll(() => sasl.stop());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await proxy?.close();
  vi.unstubAllEnvs();
});

function client(servers: string | string[], options: ConstructorParameters<typeof Client>[1] = {}): Client {
  const made = new Client(servers, options);
  clients.push(made);
  return made;
}

const login = { username: SASL_USER, password: SASL_PASSWORD };

// Binary only: SASL is a binary-protocol command (memcached -S refuses anything else before it). Meta and
// text log in with memcached's ASCII authentication (-Y); ascii-auth.test.ts runs that per dialect.
describe('SASL PLAIN', () => {
  it('authenticates and then works normally', async () => {
    const cache = client(sasl.address, login);
    expect(await cache.set('sasl:k', { ok: true })).toBe(true);
    expect(await cache.get('sasl:k')).toEqual({ ok: true });
    expect(await cache.getMulti(['sasl:k'])).toEqual(new Map([['sasl:k', { ok: true }]]));
  });

  it('sends only SASL frames until the auth reply, and everything else after it', async () => {
    proxy = await startFaultProxy(sasl);
    const cache = client(proxy.address, login);
    await Promise.all([cache.set('sasl:order', 1), cache.get('sasl:order'), cache.getMulti(['a', 'b'])]);
    const [first, ...rest] = conversation(proxy.transcript, 0);
    expect(first).toEqual({ client: [LIST_MECHS, SASL_AUTH], server: [LIST_MECHS, SASL_AUTH] });
    expect(rest.flatMap((step) => step.client)).not.toContain(SASL_AUTH);
    expect(rest.flatMap((step) => step.client).length).toBeGreaterThan(0);
  });

  it('shares one authentication among concurrent first requests, and never re-authenticates', async () => {
    proxy = await startFaultProxy(sasl);
    const cache = client(proxy.address, login);
    await Promise.all(Array.from({ length: 50 }, (_, i) => cache.set(`sasl:c:${i}`, i)));
    for (let i = 0; i < 20; i++) await cache.get(`sasl:c:${i}`);
    expect(proxy.accepted).toBe(1);
    const sent = opcodesIn(
      Buffer.concat(proxy.transcript.filter((entry) => entry.from === 'client').map((entry) => entry.bytes)),
    );
    expect(sent.filter((opcode) => opcode === SASL_AUTH)).toHaveLength(1);
  });

  it('reads credentials from a memcached:// entry', async () => {
    const uri = `memcached://${SASL_USER}:${encodeURIComponent(SASL_PASSWORD)}@${sasl.address}`;
    const cache = client(uri);
    expect(await cache.set('sasl:uri', 1)).toBe(true);
  });

  it('reads credentials from MEMCACHE_USERNAME and MEMCACHE_PASSWORD', async () => {
    vi.stubEnv('MEMCACHE_USERNAME', 'other');
    vi.stubEnv('MEMCACHE_PASSWORD', 'second user password');
    const cache = client(sasl.address);
    expect(await cache.set('sasl:env', 1)).toBe(true);
  });

  it.each([
    ['a wrong password', { username: SASL_USER, password: 'wrong' }],
    ['an unknown user', { username: 'nobody', password: SASL_PASSWORD }],
  ])('rejects %s with an AuthError that does not mark the server down', async (_, credentials) => {
    const cache = client(sasl.address, credentials);
    const error = await cache.get('sasl:k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).code).toBe('ERR_DALLI_AUTH');
    expect((error as AuthError).message).toBe(`get on ${sasl.address}: the server refused the SASL credentials`);
    expect(cache.servers()[0]).toMatchObject({ up: true, failures: 0 });
  });

  it('fails every request waiting on a refused login with the AuthError, not a network error', async () => {
    const cache = client(sasl.address, { username: SASL_USER, password: 'wrong' });
    const results = await Promise.allSettled([cache.get('a'), cache.set('b', 1), cache.getMulti(['c', 'd'])]);
    expect(results.map((result) => (result as PromiseRejectedResult).reason.code)).toEqual([
      'ERR_DALLI_AUTH',
      'ERR_DALLI_AUTH',
      'ERR_DALLI_BATCH',
    ]);
    expect((results[2] as PromiseRejectedResult).reason.cause).toBeInstanceOf(AuthError);
  });

  it('does not fail over to another server when the login is refused', async () => {
    const plain = await startMemcached();
    const cache = client([sasl.address, plain.address], { username: SASL_USER, password: 'wrong' });
    const onSasl = Array.from({ length: 50 }, (_, i) => `k${i}`).find(
      (key) => cache.locate(key).server === sasl.address,
    );
    await expect(cache.get(onSasl as string)).rejects.toBeInstanceOf(AuthError);
    expect(cache.locate(onSasl as string).route).toBe(sasl.address);
    await plain.stop();
  });

  it('backs off after a refused login instead of reconnecting in a hot loop', async () => {
    proxy = await startFaultProxy(sasl);
    const cache = client(proxy.address, { username: SASL_USER, password: 'wrong' });
    await expect(cache.get('k')).rejects.toBeInstanceOf(AuthError);
    for (let i = 0; i < 20; i++) await expect(cache.get('k')).rejects.toBeInstanceOf(AuthError);
    expect(proxy.accepted).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(cache.get('k')).rejects.toBeInstanceOf(AuthError);
    expect(proxy.accepted).toBe(2);
  });

  it('says clearly when the server requires authentication and none is configured', async () => {
    const cache = client(sasl.address);
    const error = await cache.get('k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(
      /requires SASL authentication and no username and password are configured/,
    );
    expect(cache.servers()[0]?.up).toBe(true);
  });

  it('works with credentials against a server without SASL (they are not needed)', async () => {
    const plain = await startMemcached();
    const cache = client(plain.address, login);
    expect(await cache.set('k', 1)).toBe(true);
    await plain.stop();
  });
});
