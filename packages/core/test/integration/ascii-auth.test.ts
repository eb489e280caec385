import { ASCII_PASSWORD, type MemcachedProcess, SASL_USER, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, Client } from '../../src/index.ts';

let server: MemcachedProcess;
const clients: Client[] = [];

beforeAll(async () => {
  server = await startMemcached({ kind: 'ascii-auth' });
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.stop();
});

function client(options: ConstructorParameters<typeof Client>[1]): Client {
  const made = new Client(server.address, { socketTimeout: 30, socketMaxFailures: 1, ...options });
  clients.push(made);
  return made;
}

describe.each(['meta', 'text'] as const)('ASCII authentication (memcached -Y) in the %s dialect', (protocol) => {
  it('logs in with the right user and password, then serves every request', async () => {
    const cache = client({ protocol, username: SASL_USER, password: ASCII_PASSWORD });
    expect(await cache.set('auth:k', 'v')).toBe(true);
    expect(await cache.getMulti(['auth:k', 'auth:absent'])).toEqual(new Map([['auth:k', 'v']]));
    expect(Object.keys(await cache.stats())).toEqual([server.address]);
  });

  it('refuses a wrong password with an AuthError that names neither', async () => {
    const cache = client({ protocol, username: SASL_USER, password: 'not-the-password' });
    const error = await cache.get('auth:k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect(String((error as AuthError).message)).not.toContain('not-the-password');
    expect(String((error as AuthError).message)).not.toContain(SASL_USER);
  });

  it('says authentication is required when no credentials are configured', async () => {
    const cache = client({ protocol });
    const error = await cache.get('auth:k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toMatch(/requires ASCII \(memcached -Y\) authentication/);
  });
});
