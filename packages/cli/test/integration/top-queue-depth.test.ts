import { PassThrough } from 'node:stream';
import { ExitCode, main } from '@dalli/cli';
import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TopSampler } from '../../src/top-sampler.ts';
import { renderRows } from '../../src/top-screen.ts';

/**
 * `top` shows queue depth per server: the requests a client holds for it (in flight plus queued,
 * what `maxQueued` caps), from `client.servers()[i].inFlight`.
 */
let stalled: MemcachedProcess;
let healthy: MemcachedProcess;

beforeAll(async () => {
  [stalled, healthy] = await Promise.all([startMemcached(), startMemcached()]);
});
afterAll(() => Promise.all([stalled.stop(), healthy.stop()]));

it('with a watched client, each row carries its queue depth and the table gets a QUEUED column', async () => {
  const app = new Client([stalled.address, healthy.address], { failover: false, socketTimeout: 5 });
  const own = [stalled, healthy].map((server) => ({
    name: server.address,
    client: new Client(server.address, { socketTimeout: 0.2, socketMaxFailures: 1 }),
  }));
  const sampler = new TopSampler(own, app);
  let thawed = false;
  try {
    const keys: string[] = [];
    for (let i = 0; keys.length < 3; i++) if (app.locate(`q:${i}`).server === stalled.address) keys.push(`q:${i}`);
    // Connected first, so the three reads are all the stalled server holds (a first connection may add a handshake).
    await app.getMulti(keys);
    await sampler.sample();
    await stalled.freeze();
    const held = keys.map((key) => app.get(key));
    const rows = await sampler.sample();
    expect(sampler.watchesClient).toBe(true);
    expect(rows.find((row) => row.name === stalled.address)).toMatchObject({ up: false, queued: 3 });
    expect(rows.find((row) => row.name === healthy.address)).toMatchObject({ up: true, queued: 0 });
    const screen = renderRows(rows, false, true);
    expect(screen).toMatch(/^SERVER\s.*\sITEMS\s+QUEUED$/m);
    expect(screen).toMatch(new RegExp(`^${stalled.address.replaceAll('.', '\\.')}\\s+DOWN\\s+3$`, 'm'));
    await stalled.thaw();
    thawed = true;
    expect(await Promise.all(held)).toEqual([undefined, undefined, undefined]);
  } finally {
    if (!thawed) await stalled.thaw();
    await Promise.all([app.close(), ...own.map(({ client }) => client.close())]);
  }
});

it('dalli top --once --json gives each server its queued field (the sampler has no watched client: no column)', async () => {
  const stdout = new PassThrough().setEncoding('utf8');
  let out = '';
  stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  const io = { stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {} };
  const code = await main(['top', '--once', '--json', '--interval', '0.1', '--servers', healthy.address], io);
  expect(code).toBe(ExitCode.ok);
  const rows = JSON.parse(out) as { name: string; queued: number; up: boolean }[];
  expect(rows).toEqual([expect.objectContaining({ name: healthy.address, up: true, queued: 0 })]);
  const text = new PassThrough().setEncoding('utf8');
  let table = '';
  text.on('data', (chunk: string) => {
    table += chunk;
  });
  expect(
    await main(['top', '--once', '--interval', '0.1', '--servers', healthy.address], { ...io, stdout: text }),
  ).toBe(ExitCode.ok);
  expect(table).toMatch(/ITEMS\s*$/m);
  expect(table).not.toContain('QUEUED');
});
