import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDashboard, startDashboard } from '../support/dashboard-process.ts';

const HAMMER = fileURLToPath(new URL('../support/fetch-hammer.mjs', import.meta.url));

let server: MemcachedProcess;
let dashboard: RunningDashboard;
let hammer: ChildProcess;

beforeAll(async () => {
  server = await startMemcached();
  hammer = spawn(process.execPath, [HAMMER, server.address, 'dash-hot', '3', '2000000'], { stdio: 'ignore' });
  await once(hammer, 'spawn');
  dashboard = await startDashboard(server.address, ['--keys']);
});
afterAll(async () => {
  hammer.kill();
  await dashboard.stop();
  await server.stop();
});

/** The first frame on /events that carries hot keys (bounded by the test's timeout). */
function framesWithKeys(): Promise<{ keys: { server: string; sample: { keys: { key: string; share: number }[] } }[] }> {
  const { port } = new URL(dashboard.url);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/events', headers: { host: `127.0.0.1:${port}` } },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
          const line = body.split('\n').find((each) => each.startsWith('data: ') && each.includes('"keys":[{'));
          if (line === undefined) return;
          response.destroy();
          resolve(JSON.parse(line.slice('data: '.length)));
        });
      },
    );
    req.once('error', reject).end();
  });
}

describe('dalli dashboard --keys', () => {
  it("adds each server's most fetched keys to the frames, from watch fetchers", async () => {
    const frame = await framesWithKeys();
    const [row] = frame.keys;
    expect(row?.server).toBe(server.address);
    expect(row?.sample.keys[0]?.key).toBe('dash-hot');
    expect(row?.sample.keys[0]?.share).toBeGreaterThan(0.2);
  });
});
