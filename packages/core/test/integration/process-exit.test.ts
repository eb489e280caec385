import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

const built = fileURLToPath(new URL('../../dist/index.mjs', import.meta.url));

it('does not keep the process alive once requests are answered, even without close()', () => {
  const script = `
    import { Client } from ${JSON.stringify(built)};
    const client = new Client(${JSON.stringify(memcached.address)});
    await client.set('exit-test', 'done');
    console.log(await client.get('exit-test'));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(result.stderr).toBe('');
  expect(result.stdout.trim()).toBe('done');
  expect(result.signal).toBeNull();
  expect(result.status).toBe(0);
});
