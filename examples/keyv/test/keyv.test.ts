import { fileURLToPath } from 'node:url';
import { runScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

it('runs Keyv over its own memcached: TTL expiry, batches, and a clear that spares other namespaces', async () => {
  const run = await runScript(fileURLToPath(new URL('../index.mjs', import.meta.url)));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/users\.get\('42'\) +\{"name":"Gala","plan":"pro"\}/);
  expect(run.stdout).toMatch(/users\.get\('otp:42'\) now +"731905"/);
  expect(run.stdout).toMatch(/users\.get\('otp:42'\) after 1\.1 s +undefined/);
  expect(run.stdout).toMatch(/users\.getMany\(\['1', '2', '3'\]\) +\[\{"name":"Ada"\},\{"name":"Linus"\},null\]/);
  expect(run.stdout).toMatch(/after users\.clear\(\): users\.get\('42'\) +undefined/);
  expect(run.stdout).toMatch(/after users\.clear\(\): carts\.get\('42'\) +\["moka pot"\]/);
});
