import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type PrometheusHandler, prometheusHandler } from '../../src/prometheus.ts';

let memcached: MemcachedProcess;
let client: Client;
let handler: PrometheusHandler;
let server: Server;
let url: string;

beforeAll(async () => {
  memcached = await startMemcached();
  client = new Client(memcached.address, { protocol: 'meta' });
  handler = prometheusHandler(client);
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
});
afterAll(async () => {
  handler.stop();
  await new Promise((resolve) => server.close(resolve));
  await client.close();
  await memcached.stop();
});

it('serves the client metrics over HTTP, in a format promtool check metrics accepts', async () => {
  await client.set('prom:a', 1);
  await client.get('prom:a');
  await client.getMulti(['prom:a', 'prom:b', 'prom:c']);
  await client.get('bad key').catch(() => undefined);
  const response = await fetch(url);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const body = await response.text();
  const server = memcached.address;
  expect(body).toContain(`dalli_client_hits_total{operation="getMulti",server="${server}"} 1`);
  expect(body).toContain(`dalli_client_misses_total{operation="getMulti",server="${server}"} 2`);
  expect(body).toContain(
    `dalli_client_operation_duration_seconds_count{operation="get",server="${server}",outcome="hit"} 1`,
  );
  expect(body).toContain('dalli_client_errors_total{operation="get",server="",error_type="ERR_DALLI_INVALID_KEY"} 1');
  expect(body).toContain(`dalli_client_server_up{server="${server}"} 1`);
  expect(body).toContain(`dalli_client_connections{server="${server}"} 1`);
  expect(body).not.toContain('prom:a');
  const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
  expect(`${check.stdout}${check.stderr}`).toBe('');
  expect(check.status).toBe(0);
});

it('answers HEAD with headers only and other methods with 405', async () => {
  const head = await fetch(url, { method: 'HEAD' });
  expect(head.status).toBe(200);
  expect(await head.text()).toBe('');
  const post = await fetch(url, { method: 'POST' });
  expect(post.status).toBe(405);
  expect(post.headers.get('allow')).toBe('GET, HEAD');
});

it('stops counting after stop(), keeping what it counted', async () => {
  const own = new Client(memcached.address);
  const stopped = prometheusHandler(own);
  await own.get('prom:x');
  stopped.stop();
  await own.get('prom:y');
  expect(stopped.metrics()).toContain(`dalli_client_misses_total{operation="get",server="${memcached.address}"} 1`);
  await own.close();
});

it("serves the near cache's figures of a client that has one", async () => {
  const near = new Client(memcached.address, { protocol: 'meta', nearCache: { maxBytes: 1_000_000, ttl: 60 } });
  const nearHandler = prometheusHandler(near);
  try {
    await near.set('prom:near', 'v');
    await near.get('prom:near');
    await near.get('prom:near');
    const stats = near.nearCacheStats();
    const body = nearHandler.metrics();
    expect(body).toContain(`dalli_client_near_cache_hits_total ${stats?.hits}`);
    expect(body).toContain(`dalli_client_near_cache_misses_total ${stats?.misses}`);
    expect(body).toContain('dalli_client_near_cache_entries 1');
    expect(handler.metrics()).not.toContain('dalli_client_near_cache');
    const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toBe('');
  } finally {
    nearHandler.stop();
    await near.close();
  }
});
