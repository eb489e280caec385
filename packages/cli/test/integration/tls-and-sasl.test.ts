import { type MemcachedProcess, SASL_PASSWORD, SASL_USER, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDalli } from '../support/run-dalli.ts';

describe('dalli over TLS (real memcached -Z)', () => {
  let server: MemcachedProcess;
  beforeAll(async () => {
    server = await startMemcached({ kind: 'tls' });
  });
  afterAll(() => server.stop());

  it('--tls-ca reaches the server: set then get round-trip', async () => {
    const tls = ['--servers', server.address, '--tls-ca', server.tls?.caCertFile as string];
    expect((await runDalli(['set', 'secure', 'yes', ...tls])).status).toBe(0);
    const { status, stdout } = await runDalli(['get', 'secure', ...tls]);
    expect(status).toBe(0);
    expect(stdout).toBe('yes\n');
  });

  it('--tls with the system CAs refuses the test CA: exit 3, one line', async () => {
    const { status, stderr } = await runDalli(['get', 'secure', '--servers', server.address, '--tls']);
    expect(status).toBe(3);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/certificate/i);
  });

  it('stats over TLS shows the server', async () => {
    const tls = ['--servers', server.address, '--tls-ca', server.tls?.caCertFile as string];
    const { status, stdout } = await runDalli(['stats', '--json', ...tls]);
    expect(status).toBe(0);
    expect(JSON.parse(stdout)[server.address].summary.version).toMatch(/^\d+\.\d+/);
  });
});

describe('dalli with SASL (real memcached -S)', () => {
  let server: MemcachedProcess;
  beforeAll(async () => {
    server = await startMemcached({ kind: 'sasl' });
  });
  afterAll(() => server.stop());

  it('--username with MEMCACHE_PASSWORD logs in: set then get', async () => {
    const env = { MEMCACHE_PASSWORD: SASL_PASSWORD };
    const args = ['--servers', server.address, '--username', SASL_USER];
    expect((await runDalli(['set', 'auth', 'ok', ...args], { env })).status).toBe(0);
    expect((await runDalli(['get', 'auth', ...args], { env })).stdout).toBe('ok\n');
  });

  it('--password-env names another variable for the password', async () => {
    const env = { OPS_CACHE_SECRET: SASL_PASSWORD };
    const args = ['--servers', server.address, '--username', SASL_USER, '--password-env', 'OPS_CACHE_SECRET'];
    const { status } = await runDalli(['incr', 'logins', '--initial', '1', ...args], { env });
    expect(status).toBe(0);
  });

  it('a wrong password is a cluster error (exit 3) whose message does not contain it', async () => {
    const env = { MEMCACHE_PASSWORD: 'wrong-secret-42' };
    const { status, stderr } = await runDalli(['get', 'auth', '--servers', server.address, '-u', SASL_USER], { env });
    expect(status).toBe(3);
    expect(stderr).toMatch(/refused the SASL credentials/);
    expect(stderr).not.toContain('wrong-secret-42');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('credentials in a server entry never show, not even in the flush prompt', async () => {
    const entry = `${SASL_USER}:${encodeURIComponent(SASL_PASSWORD)}@${server.address}`;
    const { status, stderr } = await runDalli(['flush', '--servers', entry], { input: 'n\n' });
    expect(status).toBe(1);
    expect(stderr).toContain(`(${server.address})?`);
    expect(stderr).not.toContain('horse');
  });

  it('without credentials the server refuses: exit 3', async () => {
    const { status } = await runDalli(['get', 'auth', '--servers', server.address]);
    expect(status).toBe(3);
  });
});

describe('--protocol against a text-only memcached (-B ascii)', () => {
  let server: MemcachedProcess;
  beforeAll(async () => {
    server = await startMemcached({ kind: 'ascii-only' });
  });
  afterAll(() => server.stop());

  it('--protocol text reaches it: set, get and stats', async () => {
    const args = ['--servers', server.address, '--protocol', 'text'];
    expect((await runDalli(['set', 'k', 'plain words', ...args])).status).toBe(0);
    expect((await runDalli(['get', 'k', ...args])).stdout).toBe('plain words\n');
    expect((await runDalli(['stats', ...args])).status).toBe(0);
  });

  it('the default binary protocol cannot: exit 3 with one line', async () => {
    const { status, stderr } = await runDalli(['get', 'k', '--servers', server.address]);
    expect(status).toBe(3);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('an unknown --protocol is a usage error: exit 2', async () => {
    const { status, stderr } = await runDalli(['get', 'k', '--servers', server.address, '--protocol', 'http']);
    expect(status).toBe(2);
    expect(stderr).toBe('dalli: option "protocol" must be one of binary, meta, text\n');
  });
});
