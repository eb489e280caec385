import { fileURLToPath } from 'node:url';
import { runScript, startScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.mjs', import.meta.url));

it('walks through cache-aside and sessions against its own memcached, then exits', async () => {
  const run = await runScript(main);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(
    /GET \/products\/2 -> Moka pot from database in \d+ ms\n {2}GET \/products\/2 -> Moka pot from cache/,
  );
  expect(run.stdout).toContain('after DELETE /products/2/cache -> from database');
  expect(run.stdout).toContain('database lookups: 2');
  expect(run.stdout).toContain('GET /visits with the session cookie -> {"visits":3}');
  expect(run.stdout).toContain('GET /visits from another browser (no cookie) -> {"visits":1}');
});

it('keeps serving with --serve until it is stopped, then stops its memcached', async () => {
  const app = await startScript(main, /listening on (http:\S+)/, { args: ['--serve', '--port', '0'] });
  try {
    const base = app.ready[1] as string;
    const first = await fetch(`${base}/`);
    const cookie = first.headers.get('set-cookie')?.split(';')[0] ?? '';
    await first.text();
    const second = await (await fetch(`${base}/`, { headers: { cookie } })).text();
    expect(second).toContain('Visits in this session: 2');
    expect(await (await fetch(`${base}/products/3`)).json()).toMatchObject({ product: { name: 'Grinder' } });
    const [health] = (await (await fetch(`${base}/servers`)).json()) as Array<{ up: boolean; connected: boolean }>;
    expect(health).toMatchObject({ up: true, connected: true });
  } finally {
    const pid = Number(/pid (\d+)/.exec(app.ready.input ?? '')?.[1]);
    const ended = await app.stop('SIGINT');
    expect(ended.status).toBe(0);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
  }
});
