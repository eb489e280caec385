import { ASCII_PASSWORD, type MemcachedProcess, SASL_USER, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';

// Binary with credentials against a server that reads only text lines: the SASL frames must get
// the same fast "set protocol" answer as the credential-less NOOP greeting, not a handshake timeout.
let servers: Record<'ascii-only' | 'ascii-auth', MemcachedProcess>;

beforeAll(async () => {
  const [asciiOnly, asciiAuth] = await Promise.all([
    startMemcached({ kind: 'ascii-only' }),
    startMemcached({ kind: 'ascii-auth' }),
  ]);
  servers = { 'ascii-only': asciiOnly, 'ascii-auth': asciiAuth };
});
afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
});

describe.each(['ascii-only', 'ascii-auth'] as const)('binary with credentials against memcached %s', (kind) => {
  it('fails with a ProtocolError naming the protocols to set, from the server answer rather than a timeout', async () => {
    // 20 s to connect or hear back, in a 10 s test: only the server's answer can end it in time.
    const client = new Client(servers[kind].address, {
      username: SASL_USER,
      password: ASCII_PASSWORD,
      socketTimeout: 20,
      socketMaxFailures: 1,
    });
    const error = await client.get('k').catch((e: unknown) => e);
    await client.close();
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as Error).message).toContain("set protocol: 'meta' or 'text'");
    expect((error as Error).message).not.toContain(ASCII_PASSWORD);
  }, 10_000);
});
