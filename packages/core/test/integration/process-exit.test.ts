import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

const built = fileURLToPath(new URL('../../dist/index.mjs', import.meta.url));

it('does not keep the process alive once requests are answered, even without close()', () => {
  const script = `
    import { Client } from ${JSON.stringify(built)};
    const client = new Client(${JSON.stringify(memcached.address)});
    await client.set('exit-test', 'done');
    console.log(await client.get('exit-test'));
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(result.stderr).toBe('');
  expect(result.stdout.trim()).toBe('done');
  expect(result.signal).toBeNull();
  expect(result.status).toBe(0);
});

it('does not keep the process alive for a timed-out connection it still watches for a write’s outcome', async () => {
  const script = `
    import { Client } from ${JSON.stringify(built)};
    const client = new Client(${JSON.stringify(memcached.address)});
    await client.noop();
    process.kill(${process.pid}, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const error = await client.set('exit-test', 'late', 0, { timeout: 0.1 }).catch((e) => e);
    console.log(error.name);
  `;
  // The script signals once connected; the server is then frozen so its set times out.
  const frozen = new Promise<void>((resolve) => process.once('SIGUSR2', () => void memcached.freeze().then(resolve)));
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
  );
  clearTimeout(killer);
  await frozen;
  await memcached.thaw();
  expect(stdout.trim()).toBe('TimeoutError');
  expect(signal).toBeNull();
  expect(code).toBe(0);
});
