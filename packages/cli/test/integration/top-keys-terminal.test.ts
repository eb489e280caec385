import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DALLI_BIN } from '../support/run-dalli.ts';
import { TmuxTerminal } from '../support/tmux.ts';

const HAMMER = fileURLToPath(new URL('../support/fetch-hammer.mjs', import.meta.url));

let server: MemcachedProcess;
let hammer: ChildProcess;
let terminal: TmuxTerminal;

beforeAll(async () => {
  server = await startMemcached();
  hammer = spawn(process.execPath, [HAMMER, server.address, 'tmux:hot', '5', '2000000'], { stdio: 'ignore' });
  await once(hammer, 'spawn');
});
afterAll(async () => {
  terminal?.close();
  hammer.kill();
  await server.stop();
});

describe('dalli top --keys in a real terminal (tmux)', () => {
  it('shows the key another process hammers at the top of its server, and quits on q', async () => {
    terminal = new TmuxTerminal();
    terminal.start(
      `${process.execPath} ${DALLI_BIN} top --keys --servers ${server.address} --interval 0.3 --limit 5; echo "dalli exited $?"; sleep 60`,
    );
    const screen = await terminal.waitFor((text) => /^\s+\d+\s+\d+\.\d%\s+tmux:hot$/m.test(text));
    const firstKey = screen.split('\n').find((line) => /^\s+\d+\s+\d+\.\d%\s+\S/.test(line));
    expect(firstKey).toMatch(/tmux:hot$/);
    expect(screen).toContain(`${server.address}: `);
    terminal.sendKeys('q');
    expect(await terminal.waitFor((text) => text.includes('dalli exited'))).toContain('dalli exited 0');
  });
});
