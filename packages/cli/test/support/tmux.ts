import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A real terminal: a tmux server of its own (on a private socket) running one command in a
 * 160×40 window, read with capture-pane and typed into with send-keys.
 */
export class TmuxTerminal {
  readonly #dir = mkdtempSync(join(tmpdir(), 'dalli-tmux-'));
  readonly #socket = join(this.#dir, 'socket');

  /** Starts `command` (a shell command line) in a new detached session. */
  start(command: string): void {
    this.#tmux('new-session', '-d', '-x', '160', '-y', '40', '-s', 'cli', command);
  }

  /** The visible screen as text. */
  capture(): string {
    return this.#tmux('capture-pane', '-p', '-t', 'cli');
  }

  /** The window title as the program set it (OSC 0/2), or tmux's default (the host name). */
  title(): string {
    return this.#tmux('display-message', '-p', '-t', 'cli', '#{pane_title}').trimEnd();
  }

  sendKeys(...keys: string[]): void {
    this.#tmux('send-keys', '-t', 'cli', ...keys);
  }

  /** Polls the screen until `test` accepts it; fails after `timeoutMs` with the last screen. */
  async waitFor(test: (screen: string) => boolean, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.capture();
      if (test(screen)) return screen;
      await sleep(100);
    }
    throw new Error(`the terminal did not show what was expected within ${timeoutMs} ms:\n${screen}`);
  }

  close(): void {
    try {
      this.#tmux('kill-server');
    } catch {
      // already gone
    }
    rmSync(this.#dir, { recursive: true, force: true });
  }

  #tmux(...args: string[]): string {
    return execFileSync('tmux', ['-S', this.#socket, ...args], { encoding: 'utf8' });
  }
}
