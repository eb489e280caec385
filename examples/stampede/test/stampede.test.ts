import { fileURLToPath } from 'node:url';
import { runScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

it('shows the herd without protection (60 queries) and with fetch (1 query), stale-while-revalidate and refresh ahead', async () => {
  const run = await runScript(fileURLToPath(new URL('../index.mjs', import.meta.url)));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/get, then set on a miss: +60 queries for 60 requests/);
  expect(run.stdout).toMatch(/fetch \(meta, one lock\): +1 queries for 60 requests \(\d+ ms\): edition 1 ×60/);
  expect(run.stdout).toMatch(/after invalidate: stale=true, win=true/);
  expect(run.stdout).toMatch(/fetch after invalidate\(\{ grace: 30 \}\): +1 queries .*: edition 1 ×1, edition 0 ×59/);
  expect(run.stdout).toMatch(/fetch with refreshAhead: 30 \(5 s left\): +1 queries .*: edition 0 ×60/);
  expect(run.stdout).toMatch(/a moment later: edition 1/);
});
