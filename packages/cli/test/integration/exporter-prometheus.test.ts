import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@dalli/core';
import { type PrometheusHandler, prometheusHandler } from '@dalli/otel/prometheus';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningExporter, startExporter } from '../support/exporter-process.ts';
import { promtoolCheckMetrics, type RunningPrometheus, startPrometheus, until } from '../support/prometheus-process.ts';

// One Prometheus for the file, scraping `dalli exporter` (two servers) and an app's in-process
// handler every second; the checks read what Prometheus stored, through its HTTP API.
let kept: MemcachedProcess;
let doomed: MemcachedProcess;
let exporter: RunningExporter;
let app: Client;
let handler: PrometheusHandler;
let appServer: Server;
let prometheus: RunningPrometheus;

beforeAll(async () => {
  [kept, doomed] = await Promise.all([startMemcached(), startMemcached()]);
  exporter = await startExporter(`${kept.address},${doomed.address}`);
  app = new Client(kept.address);
  handler = prometheusHandler(app);
  appServer = createServer(handler);
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  const appPort = (appServer.address() as AddressInfo).port;
  prometheus = await startPrometheus({ exporter: new URL(exporter.url).host, app: `127.0.0.1:${appPort}` });
});
afterAll(async () => {
  await prometheus?.stop();
  handler?.stop();
  await new Promise((resolve) => appServer?.close(resolve));
  await app?.close();
  await exporter?.stop();
  await Promise.all([kept?.stop(), doomed?.stop()]);
});

const text = (url: string): Promise<string> => fetch(url).then((response) => response.text());

describe('dalli exporter and prometheusHandler, scraped by a real Prometheus', () => {
  it('serve expositions that promtool check metrics accepts', async () => {
    await app.get('prom:warm');
    // A slab class in use (memcached reports none before the first item), on the other server, so
    // that the set count the next test reads on `kept` moves only by its own sets.
    const other = new Client(doomed.address);
    await other.set('prom:slab', 'x');
    await other.close();
    const checks = [promtoolCheckMetrics(await text(exporter.url)), promtoolCheckMetrics(handler.metrics())];
    for (const check of checks) expect(check).toEqual({ status: 0, output: '' });
    const exposition = await text(exporter.url);
    for (const name of ['memcached_up', 'memcached_commands_total', 'memcached_current_items', 'memcached_limit_bytes'])
      expect(exposition).toContain(`# TYPE ${name} `);
    for (const name of ['memcached_max_connections', 'memcached_slab_current_items', 'memcached_slab_chunk_size_bytes'])
      expect(exposition).toContain(`# TYPE ${name} gauge`);
    expect(exposition).toContain('# TYPE memcached_slab_commands_total counter');
    expect(exposition).toContain(`memcached_up{server="${kept.address}"} 1`);
  });

  it('show memcached_commands_total and the in-app duration count rising by the sets sent', async () => {
    const sets = `memcached_commands_total{job="exporter",server="${kept.address}",command="set",status="hit"}`;
    const appSets = 'sum(dalli_client_operation_duration_seconds_count{job="app",operation="set"})';
    const before = await until(
      () => prometheus.query(sets),
      (value) => value !== undefined,
    );
    const appBefore = (await prometheus.query(appSets)) ?? 0;
    expect(before).toBeDefined();
    for (let i = 0; i < 25; i++) await app.set(`prom:set:${i}`, i);
    const after = await until(
      () => prometheus.query(sets),
      (value) => value === (before as number) + 25,
    );
    expect(after).toBe((before as number) + 25);
    const appAfter = await until(
      () => prometheus.query(appSets),
      (value) => value === appBefore + 25,
    );
    expect(appAfter).toBe(appBefore + 25);
  });

  it("show the slab and settings families: max connections as stats settings says, the slabs' items summing to the server's", async () => {
    const settings = Object.values(await app.stats('settings'))[0] as Record<string, string>;
    const server = `job="exporter",server="${kept.address}"`;
    expect(
      await until(
        () => prometheus.query(`memcached_max_connections{${server}}`),
        (value) => value !== undefined,
      ),
    ).toBe(Number(settings.maxconns));
    for (let i = 0; i < 5; i++) await app.set(`prom:slab:${i}`, 'x'.repeat(2_000 * (i + 1)));
    const items = Number((Object.values(await app.stats())[0] as Record<string, string>).curr_items);
    const perSlab = `sum(memcached_slab_current_items{${server}})`;
    expect(
      await until(
        () => prometheus.query(perSlab),
        (value) => value === items,
      ),
    ).toBe(items);
    expect(await prometheus.query(`count(memcached_slab_chunk_size_bytes{${server}})`)).toBeGreaterThan(1);
  });

  it('show memcached_up 0 for a killed server, 1 for the other', async () => {
    const up = (server: string) => `memcached_up{job="exporter",server="${server}"}`;
    expect(
      await until(
        () => prometheus.query(up(doomed.address)),
        (value) => value === 1,
      ),
    ).toBe(1);
    doomed.signal('SIGKILL');
    expect(
      await until(
        () => prometheus.query(up(doomed.address)),
        (value) => value === 0,
      ),
    ).toBe(0);
    expect(await prometheus.query(up(kept.address))).toBe(1);
  });
});
