import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type MemcachedProcess, startConfigEndpoint, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';

let nodes: MemcachedProcess[];
beforeAll(async () => {
  nodes = await Promise.all([startMemcached(), startMemcached()]);
});
afterAll(() => Promise.all(nodes.map((node) => node.stop())));

it('NODE_DEBUG=dalli logs each ring change with the share of keys moved, and each failed discovery read', async () => {
  const endpoint = await startConfigEndpoint();
  endpoint.answerGarbage('NOT A CONFIG\r\nEND\r\n');
  const built = fileURLToPath(new URL('../../dist/index.mjs', import.meta.url));
  const [a, b] = nodes.map((node) => node.address) as [string, string];
  const script = `
    import { Client } from ${JSON.stringify(built)};
    const client = new Client(${JSON.stringify(a)});
    await client.setServers([${JSON.stringify(a)}, ${JSON.stringify(b)}]);
    const discovering = new Client(${JSON.stringify(endpoint.address)}, { discovery: 'config' });
    await discovering.get('k').catch(() => {});
    await Promise.all([client.close(), discovering.close()]);
  `;
  try {
    // Asynchronously: the endpoint answers from this process's event loop.
    const result = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, NODE_DEBUG: 'dalli' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.stderr).toContain(`cluster changed (setServers) +[${b}] -[]: ${a}, ${b}; `);
    expect(result.stderr).toMatch(/% of keys moved/);
    expect(result.stderr).toMatch(
      new RegExp(`discovery \\(config\\) from ${endpoint.address} failed, last good list kept: configuration endpoint`),
    );
  } finally {
    await endpoint.close();
  }
});
