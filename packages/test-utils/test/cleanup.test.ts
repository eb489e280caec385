import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { beginTestRun, startDnsmasq, startMemcached, startTwemproxy } from '../src/index.ts';

describe('every resource removes what it made in its own stop', () => {
  it.each([
    ['a Unix socket', 'unix'],
    ['a SASL database', 'sasl'],
    ['an ASCII auth file', 'ascii-auth'],
  ] as const)('memcached with %s', async (_, kind) => {
    const server = await startMemcached({ kind });
    const folder = scratchOf(server.pid);
    expect(existsSync(folder)).toBe(true);
    await server.stop();
    expect(existsSync(folder)).toBe(false);
  });

  it('memcached writes its files again when it starts after a stop', async () => {
    const server = await startMemcached({ kind: 'unix' });
    await server.stop();
    await server.start();
    expect(existsSync(server.socketPath as string)).toBe(true);
    await server.stop();
  });

  it('dnsmasq and twemproxy', async () => {
    const dns = await startDnsmasq({ 'a.test': ['127.0.0.1'] });
    const backend = await startMemcached();
    const proxy = await startTwemproxy([backend]);
    const folders = [dns.pid, proxy.pid].map(scratchOf);
    expect(folders.every(existsSync)).toBe(true);
    await Promise.all([dns.stop(), proxy.stop(), backend.stop()]);
    expect(folders.some(existsSync)).toBe(false);
  });
});

describe('a test run', () => {
  it('kills at its end the processes it left alive, as a killed worker leaves them, and removes its folder', async () => {
    const run = beginTestRun();
    try {
      const orphan = spawn('sleep', ['30'], { stdio: 'ignore' });
      const ended = once(orphan, 'exit');
      const { killed } = run.end();
      expect(killed).toEqual([`${orphan.pid} sleep 30`]);
      expect(await ended).toEqual([null, 'SIGKILL']);
      expect(existsSync(run.folder)).toBe(false);
    } finally {
      run.end();
    }
  });
});

/**
 * The scratch directory a server was given, as its command line (`-s`, `-Y`, `-c`, `--addn-hosts=`)
 * or its environment (`SASL_CONF_PATH`) names it.
 */
function scratchOf(pid: number | undefined): string {
  const read = (file: string): string[] => readFileSync(`/proc/${pid}/${file}`, 'latin1').split('\0');
  for (const entry of [...read('cmdline'), ...read('environ')]) {
    const dir = entry.match(/\/.*?\/dalli-(?!run-)[a-z-]+-[A-Za-z0-9]{6}(?=\/|$)/)?.[0];
    if (dir !== undefined) return dir;
  }
  throw new Error(`process ${pid} names no scratch directory`);
}
