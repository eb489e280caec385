import { fileURLToPath } from 'node:url';
import { runScript, startScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

const tour = fileURLToPath(new URL('../tour.mjs', import.meta.url));

it('tours one server, then kills one of three and shows failover and recovery, and exits cleanly', async () => {
  const run = await runScript(tour);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/await client\.get\('abc'\) +123/);
  expect(run.stdout).toMatch(/every reply reached its own caller +true/);
  expect(run.stdout).toMatch(/error instanceof TimeoutError +true/);
  const home = /kill -9 the server that holds 'user:7' \((127\.0\.0\.1:\d+)\)/.exec(run.stdout)?.[1];
  expect(home).toBeDefined();
  expect(run.stdout).toContain(`[dalli:server:down] ${home} after 2 failures`);
  // While down, locate() names the failover route; the value written meanwhile is read back.
  expect(run.stdout).toMatch(new RegExp(`"server":"${home}","route":"(?!${home})127\\.0\\.0\\.1:\\d+"`));
  expect(run.stdout).toMatch(/await client\.get\('user:7'\) +\{"key":"user:7","savedAt":"during the outage"\}/);
  expect(run.stdout).toMatch(/\[dalli:server:up\] .* is back after \d+ ms/);
  expect(run.stdout).toContain(`"server":"${home}","route":"${home}"`);
  expect(run.stdout).toMatch(/every server up +true/);
  expect(run.stdout).toContain('memcached stopped; tour complete.');
});

it('with --serve, keeps the Express example serving on the cluster until interrupted', async () => {
  const demo = await startScript(tour, /listening on (http:\S+)/, { args: ['--serve', '--port', '0'] });
  try {
    const body = await (await fetch(`${demo.ready[1]}/products/1`)).json();
    expect(body).toMatchObject({ product: { name: 'Espresso cup' }, source: 'database' });
  } finally {
    const ended = await demo.stop('SIGINT');
    expect(ended.status).toBe(0);
    expect(ended.stdout).toContain('memcached stopped; tour complete.');
  }
});
