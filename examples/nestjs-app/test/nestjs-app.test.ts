import { fileURLToPath } from 'node:url';
import { runScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

it('serves a cached GET from memcached through CacheInterceptor, and a counter through CACHE_MANAGER', async () => {
  const run = await runScript(fileURLToPath(new URL('../dist/main.mjs', import.meta.url)));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const products = [...run.stdout.matchAll(/GET \/products\/1 -> 200 (\{.*\})/g)].map((m) =>
    JSON.parse(m[1] as string),
  );
  expect(products).toHaveLength(2);
  expect(products[0]).toMatchObject({ id: 1, name: 'Espresso cup' });
  // The second body is the first one, read back from memcached: the handler did not run again.
  expect(products[1]).toEqual(products[0]);
  expect(run.stdout).toMatch(/GET \/products\/9 -> 404 /);
  expect(run.stdout).toContain('GET /hits -> 200 {"hits":1,"lookups":2}');
  expect(run.stdout).toContain('GET /hits -> 200 {"hits":2,"lookups":2}');
});
