import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TopSampler } from '../../src/top-sampler.ts';
import { renderRows } from '../../src/top-screen.ts';

/**
 * `top` (and the dashboard, from the same rows) shows what a client's health tracking knows: a
 * server that went down again soon after coming back is flapping, held down until its next probe.
 */
let memcached: MemcachedProcess;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

it('shows a flapping server held down, with its flap count and the wait before its next probe', async () => {
  const app = new Client(memcached.address, { socketMaxFailures: 1, socketFailureDelay: 0.01, downRetryDelay: 0.5 });
  const own = [{ name: memcached.address, client: new Client(memcached.address, { socketTimeout: 0.2 }) }];
  const sampler = new TopSampler(own, app);
  try {
    await app.set('k', 'v');
    await memcached.stop();
    await expect(app.get('k')).rejects.toThrow();
    await memcached.start();
    await expect
      .poll(
        () =>
          app.get('k').then(
            () => app.servers()[0]?.up,
            () => false,
          ),
        { timeout: 5_000, interval: 20 },
      )
      .toBe(true);
    await memcached.stop();
    await expect(app.get('k')).rejects.toThrow();
    const [row] = await sampler.sample();
    expect(row).toMatchObject({ name: memcached.address, up: false, health: { flaps: 1, ejected: undefined } });
    expect(row?.health?.nextProbeIn).toBeGreaterThan(0);
    expect(row?.health?.nextProbeIn).toBeLessThanOrEqual(750); // downRetryDelay 0.5 s × ramp 1.5
    const screen = renderRows(row === undefined ? [] : [row], false, true);
    expect(screen).toMatch(/down: .*\(flapping \(1 in a row\), next probe in 0\.\d s\)$/m);
  } finally {
    if (!memcached.running) await memcached.start();
    await Promise.all([app.close(), ...own.map(({ client }) => client.close())]);
  }
});
