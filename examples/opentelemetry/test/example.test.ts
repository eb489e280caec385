import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

it('prints the memcached operations as spans nested under the request span, their metrics and Prometheus lines', () => {
  const script = fileURLToPath(new URL('../index.mjs', import.meta.url));
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain('6 spans in one trace; 5 memcached spans under "GET /profile/42"');
  expect(run.stdout).toMatch(/└ get \[UNSET\] .*db\.query\.text="get profile:\?" .*dalli\.hit=true/);
  expect(run.stdout).toMatch(/└ getMulti \[UNSET\] .*db\.operation\.batch\.size=2 .*dalli\.hits=1 dalli\.misses=1/);
  expect(run.stdout).toMatch(/└ get \[ERROR\] .*error\.type="ERR_DALLI_INVALID_KEY"/);
  expect(run.stdout).toContain('db.client.operation.duration');
  expect(run.stdout).toMatch(/dalli_client_hits_total\{operation="getMulti",server="127\.0\.0\.1:\d+"\} 1/);
});
