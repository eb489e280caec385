/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { type Browser, launch } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDashboard, startDashboard } from '../support/dashboard-process.ts';

/** Where the test leaves its screenshot (the README's picture is one of these). */
const SCREENSHOT_DIR = new URL('../../test-output/', import.meta.url);

let servers: MemcachedProcess[];
let dashboard: RunningDashboard;
let browser: Browser;

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached()]);
  dashboard = await startDashboard(servers.map((server) => server.address).join(','));
  // Debian's chromium, headless; as root it needs --no-sandbox.
  browser = await launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await dashboard?.stop();
  await Promise.all(servers.map((server) => server.stop()));
});

describe('dalli dashboard in a real browser (headless chromium)', () => {
  it('shows one live chart per server, and the loaded server’s figures move', async () => {
    const [busy, idle] = servers.map((server) => server.address) as [string, string];
    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 560 });
    await page.goto(dashboard.url);
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('section.server')].filter((s) => Number((s as HTMLElement).dataset.points) > 0)
          .length === 2,
      { timeout: 10_000 },
    );
    const cards = await page.$$eval('section.server', (sections) =>
      sections.map((s) => ({ name: (s as HTMLElement).dataset.server, charts: s.querySelectorAll('canvas').length })),
    );
    expect(cards).toEqual([
      { name: [busy, idle].sort()[0], charts: 1 },
      { name: [busy, idle].sort()[1], charts: 1 },
    ]);
    const figure = (server: string, name: string) =>
      page.$eval(`section[data-server="${server}"] [data-figure="${name}"]`, (dd) =>
        Number.parseFloat(dd.textContent ?? ''),
      );
    const client = new Client(busy);
    try {
      // A bounded load on one server (at most 8 s) until its get/s figure on the page is above 0.
      const deadline = Date.now() + 8_000;
      let gets = 0;
      while (Date.now() < deadline && !(gets > 0)) {
        await client.set('hot', 'x');
        await Promise.all(Array.from({ length: 100 }, () => client.get('hot')));
        gets = await figure(busy, 'get');
      }
      expect(gets).toBeGreaterThan(0);
      expect(await figure(busy, 'hit')).toBeGreaterThan(0);
      expect(await figure(idle, 'get')).toBe(0);
    } finally {
      await client.close();
    }
    const points = await page.$eval(`section[data-server="${busy}"]`, (s) => Number((s as HTMLElement).dataset.points));
    expect(points).toBeGreaterThan(1);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const png = await page.screenshot({ path: new URL('dashboard.png', SCREENSHOT_DIR).pathname as `${string}.png` });
    expect(Buffer.from(png).subarray(1, 4).toString()).toBe('PNG');
  });

  it('marks a server that is down, with the reason and the wait before its next probe, in its card', async () => {
    const withDown = await startDashboard(`${servers[0]?.address},127.0.0.1:1`);
    try {
      const page = await browser.newPage();
      await page.goto(withDown.url);
      await page.waitForSelector('section.server.down[data-server="127.0.0.1:1"]', { timeout: 10_000 });
      const reason = await page.$eval('section.server.down .reason', (div) => div.textContent);
      expect(reason).toMatch(/^down: .*ECONNREFUSED/);
      // Once the dashboard's client holds it down, the card also says when it will be probed.
      await page.waitForFunction(
        () =>
          /\(next probe in \d+\.\d s\)$/.test(document.querySelector('section.server.down .reason')?.textContent ?? ''),
        { timeout: 10_000 },
      );
    } finally {
      await withDown.stop();
    }
  });
});
