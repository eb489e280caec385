import { request } from 'node:http';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningDashboard, startDashboard } from '../support/dashboard-process.ts';

let server: MemcachedProcess;
let dashboard: RunningDashboard;

beforeAll(async () => {
  server = await startMemcached();
  dashboard = await startDashboard(server.address);
});
afterAll(async () => {
  await dashboard.stop();
  await server.stop();
});

/** A GET to the dashboard with the given Host header; resolves status, headers and up to `maxBytes` of body. */
function get(path: string, host: string, maxBytes = 100_000): Promise<{ status: number; type: string; body: string }> {
  const { port } = new URL(dashboard.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => {
        body += chunk;
        if (body.length >= maxBytes || body.includes('"rows":[{')) response.destroy();
      });
      const done = () =>
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] ?? '', body });
      response.once('end', done).once('close', done);
    });
    req.once('error', reject).end();
  });
}

describe('dalli dashboard over HTTP', () => {
  it('prints a 127.0.0.1 URL and serves the page there', async () => {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const host = new URL(dashboard.url).host;
    const page = await get('/', host);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<script src="/app.js"></script>');
  });

  it('/events is a server-sent event stream of frames with every server', async () => {
    const events = await get('/events', new URL(dashboard.url).host);
    expect(events.type).toBe('text/event-stream');
    const frame = JSON.parse(events.body.match(/^data: (.*"rows":\[{.*)$/m)?.[1] as string);
    expect(frame.rows.map((row: { name: string }) => row.name)).toEqual([server.address]);
  });

  it('refuses a request addressed to another host name (DNS rebinding): 403', async () => {
    const { port } = new URL(dashboard.url);
    expect((await get('/', `evil.example:${port}`)).status).toBe(403);
    expect((await get('/events', `evil.example:${port}`)).status).toBe(403);
  });

  it('answers 404 for other paths', async () => {
    expect((await get('/etc/passwd', new URL(dashboard.url).host)).status).toBe(404);
  });

  it('stops on SIGINT with exit 0', async () => {
    const other = await startDashboard(server.address);
    expect(await other.stop()).toBe(0);
  });
});
