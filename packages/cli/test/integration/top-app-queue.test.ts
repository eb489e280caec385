import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { ExitCode, main } from '@dalli/cli';
import { freePort, type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * `dalli top --metrics-url`: an application's queue depth per server, which only its own process
 * knows, read from the metrics endpoint it serves with `@dalli/otel/prometheus`. The application
 * is a real Node process with its own client; one of its two memcached servers is frozen while it
 * holds three reads for it.
 */
const APP = fileURLToPath(new URL('../support/queue-app.mjs', import.meta.url));
let stalled: MemcachedProcess;
let healthy: MemcachedProcess;
let app: ChildProcess;
let metricsUrl: string;
let output = '';

/** Resolves once the application has printed a line matching `pattern`. */
function printed(pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const look = (): void => {
      const found = output.match(pattern);
      if (found === null) return;
      app.stdout?.off('data', look);
      resolve(found[0]);
    };
    app.stdout?.on('data', look);
    app.once('exit', (status) => reject(new Error(`the app exited (${status}): ${output}`)));
    look();
  });
}

beforeAll(async () => {
  [stalled, healthy] = await Promise.all([startMemcached(), startMemcached()]);
  app = spawn(process.execPath, [APP, stalled.address, healthy.address], { stdio: ['pipe', 'pipe', 'inherit'] });
  app.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  metricsUrl = await printed(/http:\/\/127\.0\.0\.1:\d+\/metrics/);
  app.stdin?.write('connect\n');
  await printed(/connected/);
});
afterAll(async () => {
  const exited = app === undefined || app.exitCode !== null ? undefined : once(app, 'exit');
  app?.stdin?.end();
  await stalled?.thaw();
  const killer = setTimeout(() => app.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
  await Promise.all([stalled?.stop(), healthy?.stop()]);
});

async function top(args: readonly string[]): Promise<{ code: ExitCode; out: string; err: string }> {
  const stdout = new PassThrough().setEncoding('utf8');
  const stderr = new PassThrough().setEncoding('utf8');
  let out = '';
  let err = '';
  stdout.on('data', (chunk: string) => {
    out += chunk;
  });
  stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  const servers = `${stalled.address},${healthy.address}`;
  const io = { stdout, stderr, stdin: new PassThrough(), env: {} };
  const code = await main(
    ['top', '--once', '--interval', '0.2', '--timeout', '0.2', '--servers', servers, ...args],
    io,
  );
  return { code, out, err };
}

it("shows an application's requests held for a frozen server beside the servers' own stats", async () => {
  await stalled.freeze();
  app.stdin?.write(`hold ${stalled.address} 3\n`);
  await printed(/held/);
  const { code, out } = await top(['--json', '--metrics-url', metricsUrl]);
  expect(code).toBe(ExitCode.cluster);
  const rows = JSON.parse(out) as { name: string; up: boolean; queued: number }[];
  expect(rows.find((row) => row.name === stalled.address)).toMatchObject({ up: false, queued: 3 });
  expect(rows.find((row) => row.name === healthy.address)).toMatchObject({ up: true, queued: 0 });
  const table = (await top(['--metrics-url', metricsUrl])).out;
  expect(table).toMatch(/^SERVER\s.*\sITEMS\s+QUEUED$/m);
  expect(table).toMatch(new RegExp(`^${stalled.address.replaceAll('.', '\\.')}\\s+DOWN\\s+3$`, 'm'));
});

it('says why when the metrics endpoint does not answer: QUEUED is ?, and the servers are still shown', async () => {
  const nobody = `http://127.0.0.1:${await freePort()}/metrics`;
  const { out } = await top(['--metrics-url', nobody]);
  expect(out).toMatch(new RegExp(`^${healthy.address.replaceAll('.', '\\.')}\\s.*\\s\\?$`, 'm'));
  expect(out).toContain(`queue depths unknown: ${nobody}:`);
  const json = await top(['--json', '--metrics-url', nobody]);
  expect(JSON.parse(json.out)).toContainEqual(expect.not.objectContaining({ queued: expect.anything() }));
  expect(json.err).toContain('queue depths unknown');
});

it.each([
  ['not a URL', ['--metrics-url', 'localhost:9464'], /must be a URL|http/],
  ['another scheme', ['--metrics-url', 'file:///etc/passwd'], /http:\/\/ or https:\/\//],
  ['a password', ['--metrics-url', 'http://u:secret@127.0.0.1:1/metrics'], /no user or password/],
  ['--keys', ['--keys', '--metrics-url', 'http://127.0.0.1:1/metrics'], /does not go with --keys/],
])('refuses %s as a usage error', async (_, args, message) => {
  const { code, err } = await top(args);
  expect(code).toBe(ExitCode.usage);
  expect(err).toMatch(message);
  expect(err).not.toContain('secret');
});
