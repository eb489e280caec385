import { fileURLToPath } from 'node:url';
import { runScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../index.mjs', import.meta.url));

it('follows 2 → 3 → 2 nodes announced by the configuration endpoint, with no failed operation', async () => {
  const run = await runScript(script);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const changes = run.stdout.split('\n').filter((line) => line.startsWith('[dalli:cluster:change] config'));
  expect(changes).toHaveLength(3);
  expect(changes[0]).toMatch(/→ 2 servers/);
  expect(changes[1]).toMatch(/\+\[localhost:\d+\] -\[\] → 3 servers, \d+% of keys moved/);
  expect(changes[2]).toMatch(/\+\[\] -\[localhost:\d+\] → 2 servers/);
  expect(run.stdout).toMatch(/\d+ operations while the cluster changed, 0 failed/);
  expect(run.stdout).toContain('done.');
});
