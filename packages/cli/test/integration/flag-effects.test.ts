import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDalli } from '../support/run-dalli.ts';

describe('--timeout', () => {
  let server: MemcachedProcess;
  beforeAll(async () => {
    server = await startMemcached();
  });
  afterAll(() => server.stop());

  it('a frozen server fails the request after --timeout seconds: exit 3, one line naming the wait', async () => {
    await server.freeze();
    try {
      const { status, stderr } = await runDalli(['get', 'k', '--servers', server.address, '--timeout', '0.3']);
      expect(status).toBe(3);
      expect(stderr).toMatch(new RegExp(`^dalli: get on ${server.address}: no reply within 300 ms\\n$`));
    } finally {
      await server.thaw();
    }
  });

  it('--timeout must be a number of seconds: exit 2', async () => {
    const { status, stderr } = await runDalli(['get', 'k', '--servers', server.address, '--timeout', 'soon']);
    expect(status).toBe(2);
    expect(stderr).toBe('dalli: --timeout must be a number of seconds, 0 or more (got "soon")\n');
  });
});

describe('mutual TLS: --tls-cert and --tls-key', () => {
  let server: MemcachedProcess;
  beforeAll(async () => {
    server = await startMemcached({ kind: 'tls', mutualTls: true });
  });
  afterAll(() => server.stop());

  it('with the client certificate the server accepts the request', async () => {
    const files = server.tls as NonNullable<typeof server.tls>;
    const args = ['--servers', server.address, '--tls-ca', files.caCertFile];
    const client = [`${files.dir}/client.crt`, `${files.dir}/client.key`];
    const { status, stderr } = await runDalli([
      'set',
      'm',
      '1',
      ...args,
      '--tls-cert',
      client[0] as string,
      '--tls-key',
      client[1] as string,
    ]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('without it the server refuses: exit 3', async () => {
    const files = server.tls as NonNullable<typeof server.tls>;
    const { status } = await runDalli(['get', 'm', '--servers', server.address, '--tls-ca', files.caCertFile]);
    expect(status).toBe(3);
  });
});

describe('flag combinations refused before anything is sent (exit 2)', () => {
  it.each([
    [['set', 'k', 'v', '--json', '--raw'], 'dalli: --json and --raw exclude each other\n'],
    [['get', 'k', '--password-env', 'X'], 'dalli: --password-env needs --username\n'],
    [['ring', '--remove', '127.0.0.1:9'], 'dalli: --remove 127.0.0.1:9: not in --servers\n'],
    [['top', '--json'], 'dalli: --json goes with --once\n'],
    [['top', '--once', '--interval', '0.01'], 'dalli: --interval must be at least 0.1 seconds\n'],
    [['dashboard', '--port', '70000'], 'dalli: --port must be an integer from 1 to 65535 (got "70000")\n'],
  ])('%j', async (args, message) => {
    const { status, stderr } = await runDalli([...args, '--servers', '127.0.0.1:1']);
    expect(stderr).toBe(message);
    expect(status).toBe(2);
  });
});
