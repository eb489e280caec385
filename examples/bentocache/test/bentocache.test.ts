import { fileURLToPath } from 'node:url';
import { runScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

it('runs bentocache on two nodes over its own memcached: shared L2, bus invalidation, tags, grace, a scoped clear', async () => {
  const run = await runScript(fileURLToPath(new URL('../index.mjs', import.meta.url)));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/b\.getOrSet\('user:42'\) \(from memcached\) +\{"id":42,"name":"Gala","plan":"free"\}/);
  expect(run.stdout).toMatch(/database lookups +1\n/);
  expect(run.stdout).toMatch(
    /after a\.set\(\): b\.get\('user:42'\) \(bus cleared b's L1\) +\{"id":42,"name":"Gala","plan":"pro"\}/,
  );
  expect(run.stdout).toMatch(/after a\.deleteByTag\(\['users'\]\): b\.get\('user:42'\) +undefined/);
  expect(run.stdout).toMatch(/b\.getOrSet\('rates'\) while its factory fails \(grace\) +\{"eur":1\.08\}/);
  expect(run.stdout).toMatch(/after a\.clear\(\): b\.get\('rates'\) +null/);
  expect(run.stdout).toMatch(/another app's key on the same memcached +"untouched"/);
});
