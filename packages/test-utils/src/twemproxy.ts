import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';
import type { MemcachedProcess } from './memcached.ts';
import { removeScratchDir, scratchDir } from './scratch-dir.ts';

const READY_TIMEOUT_MS = 5_000;
const live = new Set<TwemproxyProcess>();

/**
 * twemproxy (Debian's `nutcracker`) on a free 127.0.0.1 port in front of real memcached
 * processes, with its configuration written at start: the text-protocol-only proxy that users
 * put in front of a cluster. Keys are spread by twemproxy's own ketama ring over md5 (its
 * fnv1a_64 puts short keys all on one server); a dead backend is not ejected, so its keys fail
 * instead of moving.
 */
export class TwemproxyProcess {
  readonly host = '127.0.0.1';
  readonly port: number;
  /** What goes in a client's server list. */
  readonly address: string;
  readonly #args: readonly string[];
  /** Its configuration file's directory: written by the constructor, removed by {@link stop}. */
  readonly #dir: string;
  #child: ChildProcess | undefined;
  #log = '';

  constructor(port: number, statsPort: number, backends: readonly MemcachedProcess[], timeoutMs: number) {
    this.port = port;
    this.address = `${this.host}:${port}`;
    this.#dir = scratchDir('twemproxy');
    const config = join(this.#dir, 'nutcracker.yml');
    const servers = backends.map((backend, i) => `    - ${backend.host}:${backend.port}:1 backend${i}`);
    writeFileSync(
      config,
      [
        'pool:',
        `  listen: ${this.host}:${port}`,
        '  hash: md5',
        '  distribution: ketama',
        `  timeout: ${timeoutMs}`,
        '  auto_eject_hosts: false',
        '  server_connections: 1',
        '  servers:',
        ...servers,
        '',
      ].join('\n'),
    );
    this.#args = ['-c', config, '-a', this.host, '-s', String(statsPort), '-v', '3'];
  }

  /** The nutcracker process id (the benchmark pins it beside memcached); undefined before start. */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  async start(): Promise<void> {
    const child = spawn('nutcracker', this.#args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    live.add(this);
    const record = (chunk: Buffer): void => {
      this.#log = (this.#log + chunk.toString()).slice(-4_000);
    };
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    child.once('error', (error) => record(Buffer.from(`\n${error.message}`)));
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`nutcracker ${this.#args.join(' ')} exited: ${this.#log}`);
      if (await accepts(this.port, this.host)) return;
      await sleep(20);
    }
    await this.stop();
    throw new Error(`nutcracker did not accept connections within ${READY_TIMEOUT_MS} ms: ${this.#log}`);
  }

  /** Kills nutcracker and removes its configuration; it cannot start again. Safe to call twice. */
  async stop(): Promise<void> {
    const child = this.#child;
    live.delete(this);
    if (child !== undefined && this.running) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    removeScratchDir(this.#dir);
  }
}

function accepts(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts twemproxy in front of `backends`; `timeoutMs` is how long it waits for a backend. */
export async function startTwemproxy(
  backends: readonly MemcachedProcess[],
  options: { timeoutMs?: number } = {},
): Promise<TwemproxyProcess> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const proxy = new TwemproxyProcess(await freePort(), await freePort(), backends, options.timeoutMs ?? 400);
    try {
      await proxy.start();
      return proxy;
    } catch (error) {
      await proxy.stop();
      lastError = error;
    }
  }
  throw lastError;
}

process.once('exit', () => {
  for (const proxy of live) proxy.stop();
});
