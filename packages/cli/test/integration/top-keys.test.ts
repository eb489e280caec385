import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { ASCII_PASSWORD, type MemcachedProcess, SASL_USER, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runDalli } from '../support/run-dalli.ts';

const HAMMER = fileURLToPath(new URL('../support/fetch-hammer.mjs', import.meta.url));

interface KeysJson {
  server: string;
  fetches: number;
  keys: { key: string; fetches: number; share: number }[];
}

describe('dalli top --keys (watch fetchers)', () => {
  let plain: MemcachedProcess;
  let asciiAuth: MemcachedProcess;
  let noWatch: MemcachedProcess;
  let sasl: MemcachedProcess;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    [plain, asciiAuth, noWatch, sasl] = await Promise.all([
      startMemcached(),
      startMemcached({ kind: 'ascii-auth' }),
      startMemcached({ args: ['-W'] }),
      startMemcached({ kind: 'sasl' }),
    ]);
  });
  afterAll(() => Promise.all([plain.stop(), asciiAuth.stop(), noWatch.stop(), sasl.stop()]));
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
  });

  /** Another process: 2,000,000 gets at most, one in `every` for `hot`; stopped in afterEach. */
  async function hammer(address: string, hot: string, every: number): Promise<void> {
    const child = spawn(process.execPath, [HAMMER, address, hot, String(every), '2000000'], { stdio: 'pipe' });
    children.push(child);
    await once(child, 'spawn');
  }

  it('shows the key another process hammers, first, with its share of the fetches', async () => {
    await hammer(plain.address, 'hammered', 4);
    const { status, stdout, stderr } = await runDalli([
      'top',
      '--keys',
      '--once',
      '--json',
      '--interval',
      '0.5',
      '--limit',
      '3',
      '-s',
      plain.address,
    ]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    const [row] = JSON.parse(stdout) as KeysJson[];
    expect(row?.server).toBe(plain.address);
    expect(row?.fetches).toBeGreaterThan(100);
    expect(row?.keys[0]?.key).toBe('hammered');
    expect(row?.keys[0]?.share).toBeGreaterThan(0.2);
    expect(row?.keys).toHaveLength(3);
  });

  it('logs in to a -Y server with --username before watching', async () => {
    const { status, stdout, stderr } = await runDalli(
      ['top', '--keys', '--once', '--json', '--interval', '0.2', '-s', asciiAuth.address, '-u', SASL_USER],
      { env: { MEMCACHE_PASSWORD: ASCII_PASSWORD } },
    );
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as KeysJson[])[0]).toMatchObject({ server: asciiAuth.address, fetches: 0, keys: [] });
  });

  it('says where the server refuses: -W, a -Y server without a login, a -S server (exit 3)', async () => {
    const refused = await runDalli(['top', '--keys', '--once', '--interval', '0.2', '-s', noWatch.address]);
    expect(refused.status).toBe(3);
    expect(refused.stdout).toContain(`${noWatch.address}: the server refuses watch (started with -W)`);
    const unauthenticated = await runDalli(['top', '--keys', '--once', '--interval', '0.2', '-s', asciiAuth.address]);
    expect(unauthenticated.status).toBe(3);
    expect(unauthenticated.stdout).toContain('needs the ASCII login (-Y): give --username');
    const binaryOnly = await runDalli(['top', '--keys', '--once', '--timeout', '0.3', '-s', sasl.address]);
    expect(binaryOnly.status).toBe(3);
    expect(binaryOnly.stdout).toContain('(a SASL server, -S, speaks only binary)');
  });
});
