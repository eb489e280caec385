import { Client } from '@dalli/core';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DALLI_BIN, runDalli } from '../support/run-dalli.ts';
import { TmuxTerminal } from '../support/tmux.ts';

let servers: MemcachedProcess[];
let terminal: TmuxTerminal;

beforeAll(async () => {
  servers = await Promise.all([startMemcached(), startMemcached()]);
});
afterAll(() => Promise.all(servers.map((server) => server.stop())));
afterEach(() => terminal.close());

/** Starts `dalli top` in a tmux terminal; the shell prints its exit status when it ends. */
function startTop(extra = ''): void {
  terminal = new TmuxTerminal();
  const list = servers.map((server) => server.address).join(',');
  terminal.start(
    `${process.execPath} ${DALLI_BIN} top --servers ${list} --interval 0.3 ${extra}; echo "dalli exited $?"; sleep 60`,
  );
}

const row = (address: string) => new RegExp(`^${address.replaceAll('.', '\\.')}\\s+(\\d+(?:\\.\\d)?)\\s`, 'm');

describe('dalli top in a real terminal (tmux)', () => {
  it('shows a row of figures for every server, and the figures move under load', async () => {
    startTop();
    const [busy, idle] = servers.map((server) => server.address) as [string, string];
    await terminal.waitFor((screen) => row(busy).test(screen) && row(idle).test(screen));
    const client = new Client(busy);
    try {
      // A bounded load on one server (at most 5 s) until top shows its ops/s above 0.
      const deadline = Date.now() + 5_000;
      let screen = terminal.capture();
      while (Date.now() < deadline && Number(screen.match(row(busy))?.[1] ?? 0) === 0) {
        await Promise.all(Array.from({ length: 50 }, (_, i) => client.get(`load:${i}`)));
        screen = terminal.capture();
      }
      expect(Number(screen.match(row(busy))?.[1])).toBeGreaterThan(0);
      expect(screen).toMatch(
        /^SERVER\s+OPS\/S\s+GET\s+SET\s+DEL\s+INCR\s+DECR\s+TOUCH\s+HIT\s+EVICT\/S\s+IN\/S\s+OUT\/S\s+CONNS\s+ITEMS/m,
      );
    } finally {
      await client.close();
    }
  });

  it('quits on q with exit 0 and gives the screen back', async () => {
    startTop();
    await terminal.waitFor((screen) => screen.includes('dalli top: 2 servers'));
    terminal.sendKeys('q');
    const screen = await terminal.waitFor((text) => text.includes('dalli exited'));
    expect(screen).toContain('dalli exited 0');
    expect(screen).not.toContain('dalli top: 2 servers');
  });

  it('quits on Ctrl-C with exit 0', async () => {
    startTop();
    await terminal.waitFor((screen) => screen.includes('dalli top: 2 servers'));
    terminal.sendKeys('C-c');
    expect(await terminal.waitFor((text) => text.includes('dalli exited'))).toContain('dalli exited 0');
  });

  it('shows a server that is down in its own row, with the reason', async () => {
    terminal = new TmuxTerminal();
    terminal.start(
      `${process.execPath} ${DALLI_BIN} top --servers ${servers[0]?.address},127.0.0.1:1 --interval 0.3; sleep 60`,
    );
    const up = row(servers[0]?.address as string);
    const screen = await terminal.waitFor((text) => /^127\.0\.0\.1:1\s+DOWN/m.test(text) && up.test(text));
    expect(screen).toMatch(/^127\.0\.0\.1:1 down: .*ECONNREFUSED/m);
  });
});

describe('dalli top --once (for scripts)', () => {
  it('--once --json measures each server over the interval: the loaded one has gets/s, the idle one none', async () => {
    const [busy, idle] = servers.map((server) => server.address) as [string, string];
    const client = new Client(busy);
    const run = runDalli(['top', '--once', '--json', '--interval', '1', '--servers', `${busy},${idle}`]);
    let done = false;
    run.finally(() => {
      done = true;
    });
    const deadline = Date.now() + 10_000;
    while (!done && Date.now() < deadline) await Promise.all(Array.from({ length: 20 }, (_, i) => client.get(`k${i}`)));
    await client.close();
    const { status, stdout } = await run;
    expect(status).toBe(0);
    const rows = JSON.parse(stdout) as { name: string; rates: { opsPerSecond: { get: number }; hitRatio?: number } }[];
    expect(rows.map((r) => r.name)).toEqual([busy, idle]);
    expect(rows[0]?.rates.opsPerSecond.get).toBeGreaterThan(0);
    expect(rows[0]?.rates.hitRatio).toBe(0);
    expect(rows[1]?.rates.opsPerSecond.get).toBe(0);
  });

  it('without a terminal and without --once, top is a usage error (exit 2)', async () => {
    const { status, stderr } = await runDalli(['top', '--servers', servers[0]?.address as string]);
    expect(status).toBe(2);
    expect(stderr).toBe('dalli: top needs a terminal; use --once in scripts\n');
  });
});
