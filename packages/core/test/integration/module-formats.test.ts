import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';

// These run the built package (dist/) through its package.json "exports", as a user's app would.
const packageDir = fileURLToPath(new URL('../..', import.meta.url));
let memcached: MemcachedProcess;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

function run(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8', timeout: 10_000 });
  return { stdout: result.stdout.trim(), stderr: result.stderr, status: result.status };
}

const body = (address: string): string => `
  const client = new Client(${JSON.stringify(address)});
  client.set('format', { ok: true }).then(() => client.get('format')).then((value) => {
    console.log(JSON.stringify(value));
    return client.close();
  });
`;

it('loads with require() from CommonJS', () => {
  const result = run(['-e', `const { Client } = require('@dalli/core');${body(memcached.address)}`]);
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.stdout).toBe('{"ok":true}');
  expect(result.status).toBe(0);
});

it('loads with import from an ES module', () => {
  const result = run(['--input-type=module', '-e', `import { Client } from '@dalli/core';${body(memcached.address)}`]);
  expect(result.stderr).not.toMatch(/Error/);
  expect(result.stdout).toBe('{"ok":true}');
  expect(result.status).toBe(0);
});

it('ships type declarations and code where package.json points, for import and for require', async () => {
  const manifest = (await import('../../package.json', { with: { type: 'json' } })).default;
  for (const entry of [manifest.exports['.'].import, manifest.exports['.'].require]) {
    expect(existsSync(`${packageDir}/${entry.types}`)).toBe(true);
    expect(existsSync(`${packageDir}/${entry.default}`)).toBe(true);
  }
});

it('gives import and require() the same single copy, so instanceof holds across them', () => {
  const script = `import('@dalli/core').then((esm) => console.log(esm.Client === require('@dalli/core').Client))`;
  expect(run(['-e', script]).stdout).toBe('true');
});
