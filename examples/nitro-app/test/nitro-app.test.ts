import { fileURLToPath } from 'node:url';
import { runScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

it("runs two instances of a built Nitro app whose cache storage is memcached: one's cached route is the other's, a clear clears both", async () => {
  const run = await runScript(fileURLToPath(new URL('../main.mjs', import.meta.url)), { timeoutMs: 90_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/GET a\/products\/7 +computed by a\n/);
  expect(run.stdout).toMatch(/GET b\/products\/7 +computed by a, same entry: true/);
  expect(run.stdout).toMatch(/DELETE b\/cache +\{"cleared":true\}/);
  expect(run.stdout).toMatch(/GET a\/products\/7 1 s after the clear computed by a, new entry: true/);
  expect(run.stdout).toMatch(/GET a\/cache\/ttl +\{"value":\{"hello":"world"\},"ttl":(29|30)\}/);
  expect(run.stdout).toMatch(/GET a\/cache\/keys +\{"refused":"ERR_DALLI_KEYS_UNSUPPORTED"\}/);
});
