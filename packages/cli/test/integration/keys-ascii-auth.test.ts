import { Client } from '@dalli/core';
import { ASCII_PASSWORD, type MemcachedProcess, SASL_USER, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDalli } from '../support/run-dalli.ts';

let server: MemcachedProcess;

beforeAll(async () => {
  server = await startMemcached({ kind: 'ascii-auth' });
  const client = new Client(server.address, { protocol: 'meta', username: SASL_USER, password: ASCII_PASSWORD });
  await client.set('listed:1', 'a');
  await client.set('listed:2', 'b');
  await client.close();
});
afterAll(() => server.stop());

describe('dalli keys against memcached -Y (ASCII authentication)', () => {
  it('--username logs in before the dump, and the keys are listed', async () => {
    const env = { MEMCACHE_PASSWORD: ASCII_PASSWORD };
    const { status, stdout, stderr } = await runDalli(['keys', '--json', '-s', server.address, '-u', SASL_USER], {
      env,
    });
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const keys = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).key);
    expect(keys.sort()).toEqual(['listed:1', 'listed:2']);
  });

  it('a wrong password is a cluster error (exit 3) on one line that does not contain it', async () => {
    const env = { MEMCACHE_PASSWORD: 'wrong-secret-42' };
    const { status, stderr } = await runDalli(['keys', '-s', server.address, '-u', SASL_USER], { env });
    expect(status).toBe(3);
    expect(stderr).toMatch(new RegExp(`^dalli: ${server.address.replaceAll('.', '\\.')}: .*ASCII login.*\\n$`));
    expect(stderr).not.toContain('wrong-secret-42');
  });

  it('without --username the server refuses the dump: exit 3', async () => {
    const { status, stderr } = await runDalli(['keys', '-s', server.address]);
    expect(status).toBe(3);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
