import { fileURLToPath } from 'node:url';
import { runScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

it('runs Fastify 5 with @fastify/session sessions in its own memcached: visits, login, logout', async () => {
  const run = await runScript(fileURLToPath(new URL('../main.mjs', import.meta.url)));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/GET \/visits, first visit +\{"visits":1,"user":null\}/);
  expect(run.stdout).toMatch(/GET \/visits with the session cookie +\{"visits":2,"user":null\}/);
  expect(run.stdout).toMatch(/new session id at login +true/);
  expect(run.stdout).toMatch(/GET \/visits +\{"visits":3,"user":"gala"\}/);
  expect(run.stdout).toMatch(/in memcached under +sess:\S+…: user gala, visits 3/);
  expect(run.stdout).toMatch(/in memcached after logout +null/);
  expect(run.stdout).toMatch(/GET \/visits with the old cookie +\{"visits":1,"user":null\}/);
});
