import { fileURLToPath } from 'node:url';
import { runScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

const script = fileURLToPath(new URL('../index.mjs', import.meta.url));

it("shows a frozen primary's keys served stale after Dalli's rehash, and never through a gutter pool", async () => {
  const run = await runScript(script);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const [rehash, gutter] = run.stdout.split('\nfailover to a gutter pool');
  expect(rehash).toMatch(/thawed with its old values: [1-9]\d* stale values served/);
  expect(gutter).toMatch(/updated them while it was frozen: 0 failed/);
  const ttl = Number(/has (\d+) s left/.exec(gutter ?? '')?.[1]);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(300);
  expect(gutter).toMatch(/thawed with its old values: 0 stale values served/);
  const moved = Number(/(\d+) of 300 keys live on/.exec(gutter ?? '')?.[1]);
  // A request that timed out on a loaded machine may fail over too: at least the frozen server's keys.
  const [failovers, journaled, deleted] = (
    /routeStats: (\d+) failovers, (\d+) writes journaled, (\d+) old/.exec(gutter ?? '') ?? []
  )
    .slice(1)
    .map(Number);
  expect(failovers).toBeGreaterThanOrEqual(moved);
  expect(journaled).toBeGreaterThanOrEqual(moved);
  expect(deleted).toBe(moved);
  expect(run.stdout).toContain('done.');
});
