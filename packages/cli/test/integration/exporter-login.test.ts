import { type MemcachedProcess, SASL_PASSWORD, SASL_USER, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningExporter, startExporter } from '../support/exporter-process.ts';

// The exporter takes the connection flags every command takes: TLS and SASL reach the servers.
let tls: MemcachedProcess;
let sasl: MemcachedProcess;
const exporters: RunningExporter[] = [];

beforeAll(async () => {
  [tls, sasl] = await Promise.all([startMemcached({ kind: 'tls' }), startMemcached({ kind: 'sasl' })]);
});
afterAll(async () => {
  await Promise.all(exporters.map((exporter) => exporter.stop()));
  await Promise.all([tls?.stop(), sasl?.stop()]);
});

async function scrape(...args: Parameters<typeof startExporter>): Promise<string> {
  const exporter = await startExporter(...args);
  exporters.push(exporter);
  return fetch(exporter.url).then((response) => response.text());
}

it('scrapes a TLS server with --tls-ca', async () => {
  const text = await scrape(tls.address, ['--tls-ca', tls.tls?.caCertFile as string]);
  expect(text).toContain(`memcached_up{server="${tls.address}"} 1`);
  expect(text).toMatch(new RegExp(`memcached_current_connections\\{server="${tls.address}"\\} \\d+`));
});

it('scrapes a SASL server with --username and MEMCACHE_PASSWORD, and shows memcached_up 0 on a wrong password', async () => {
  const good = await scrape(sasl.address, ['--username', SASL_USER], { MEMCACHE_PASSWORD: SASL_PASSWORD });
  expect(good).toContain(`memcached_up{server="${sasl.address}"} 1`);
  const bad = await scrape(sasl.address, ['--username', SASL_USER], { MEMCACHE_PASSWORD: 'wrong-canary-5521' });
  expect(bad).toContain(`memcached_up{server="${sasl.address}"} 0`);
  expect(bad).not.toContain('wrong-canary-5521');
});
