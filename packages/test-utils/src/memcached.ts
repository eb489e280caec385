import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';
import { writeSaslConfig } from './sasl-database.ts';
import { removeScratchDir, scratchDir } from './scratch-dir.ts';
import { type TlsFiles, tlsFiles } from './tls-certificates.ts';

export type MemcachedKind = 'plain' | 'sasl' | 'tls' | 'tls+sasl' | 'unix' | 'ascii-auth' | 'ascii-only';

export interface MemcachedOptions {
  /**
   * Plain TCP (default), SASL (`-S`), TLS (`-Z`), both, a Unix domain socket (`-s`), ASCII
   * authentication (`-Y authfile`), or a server that refuses the binary protocol (`-B ascii`).
   */
  readonly kind?: MemcachedKind;
  /** Extra memcached arguments, applied after the defaults (`-m 64 -t 1 -c 1024`), e.g. `['-I', '2m']`. */
  readonly args?: readonly string[];
  /**
   * Users and passwords for the SASL kinds (one user, {@link SASL_USER}, when absent) and for
   * `ascii-auth` ({@link SASL_USER} with {@link ASCII_PASSWORD} when absent).
   */
  readonly users?: Readonly<Record<string, string>>;
  /** TLS only: require a client certificate signed by the test CA (`ssl_verify_mode=2`). */
  readonly mutualTls?: boolean;
  /** TCP kinds: the loopback address to listen on, e.g. `127.0.0.3` for a node behind a DNS name. Default 127.0.0.1. */
  readonly host?: string;
  /** TCP kinds: the port, e.g. one port shared by nodes on different addresses. Default a free port. */
  readonly port?: number;
  /**
   * TCP kinds: more loopback addresses the same process listens on besides {@link host} (`-l a,b,…`),
   * each a distinct server to a client, e.g. 20 per process for a fleet of hundreds. Default none.
   */
  readonly extraHosts?: readonly string[];
}

export const SASL_USER = 'dalli';
export const SASL_PASSWORD = 'correct horse battery staple';
/** memcached's ASCII authentication splits `user pass` on spaces, so its password has none. */
export const ASCII_PASSWORD = 'correct-horse-battery-staple';

const READY_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 5;
const live = new Set<MemcachedProcess>();

/**
 * A real memcached process on a free loopback port (127.0.0.1 unless told; or a socket path), stopped by {@link stop}
 * or, failing that, when the test process exits. UDP is always off (`-U 0`). Its socket, SASL database and
 * ASCII auth file live in a scratch directory of its own, made at start and removed at stop.
 */
export class MemcachedProcess {
  readonly kind: MemcachedKind;
  readonly host: string;
  /** The TCP port; 0 for a Unix socket. */
  readonly port: number;
  readonly socketPath: string | undefined;
  /** What goes in a client's server list: `127.0.0.1:port` or the socket path. */
  readonly address: string;
  /** Certificates of a TLS server (and a client certificate for mutual TLS). */
  readonly tls: TlsFiles | undefined;
  readonly users: Readonly<Record<string, string>> | undefined;
  readonly #args: readonly string[];
  readonly #env: NodeJS.ProcessEnv;
  /** Holds the socket, the SASL configuration or the `-Y` file; undefined for kinds that need none. */
  readonly #dir: string | undefined;
  #filesWritten = false;
  #child: ChildProcess | undefined;
  #log = '';

  constructor(kind: MemcachedKind, port: number, options: MemcachedOptions) {
    this.kind = kind;
    this.host = options.host ?? '127.0.0.1';
    this.port = port;
    const needsFiles = kind === 'unix' || kind === 'sasl' || kind === 'tls+sasl' || kind === 'ascii-auth';
    this.#dir = needsFiles ? scratchDir('memcached') : undefined;
    this.socketPath = kind === 'unix' ? join(this.#dir as string, 'memcached.sock') : undefined;
    this.address = this.socketPath ?? `${this.host}:${port}`;
    this.tls = kind === 'tls' || kind === 'tls+sasl' ? tlsFiles() : undefined;
    this.users =
      kind === 'sasl' || kind === 'tls+sasl'
        ? (options.users ?? { [SASL_USER]: SASL_PASSWORD })
        : kind === 'ascii-auth'
          ? (options.users ?? { [SASL_USER]: ASCII_PASSWORD })
          : undefined;
    this.#env =
      this.users === undefined || kind === 'ascii-auth' ? process.env : { ...process.env, SASL_CONF_PATH: this.#dir };
    this.#args = [...this.#listenArgs(options), '-m', '64', '-t', '1', '-c', '1024', ...(options.args ?? [])];
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** Starts the process and waits until it accepts connections. */
  async start(): Promise<void> {
    if (this.running) return;
    this.#writeFiles();
    this.#log = '';
    const child = spawn('memcached', this.#args, { env: this.#env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.#child = child;
    live.add(this);
    const record = (chunk: Buffer): void => {
      this.#log = (this.#log + chunk.toString()).slice(-4_000);
    };
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
    child.once('error', (error) => record(Buffer.from(`\n${error.message}`)));
    await this.#waitUntilReady(child);
  }

  /** Sends a signal: SIGKILL to crash it, SIGSTOP to freeze it, SIGCONT to thaw it. */
  signal(signal: NodeJS.Signals): void {
    this.#child?.kill(signal);
  }

  /**
   * Freezes the process (SIGSTOP) and waits until the kernel shows it stopped: a signal is
   * delivered asynchronously, and a request sent in between would still be answered.
   */
  async freeze(): Promise<void> {
    this.signal('SIGSTOP');
    await this.#waitForState((state) => state === 'T');
  }

  /** Thaws a frozen process (SIGCONT) and waits until it runs again. */
  async thaw(): Promise<void> {
    this.signal('SIGCONT');
    await this.#waitForState((state) => state !== 'T');
  }

  async #waitForState(accept: (state: string) => boolean): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      // /proc/<pid>/stat: "pid (comm) state …"; the state letter follows the last ')'.
      const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8');
      if (accept(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))) return;
      await sleep(5);
    }
    throw new Error(`memcached ${this.pid} did not change state within ${READY_TIMEOUT_MS} ms`);
  }

  /**
   * Stops the process; safe to call twice. SIGKILL, because memcached takes a second or two to
   * exit on SIGTERM and a test cache has nothing to save.
   */
  async stop(): Promise<void> {
    const child = this.#child;
    live.delete(this);
    if (child !== undefined && this.running) {
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    }
    if (this.#dir === undefined) return;
    removeScratchDir(this.#dir);
    this.#filesWritten = false;
  }

  /** Starts it again on the same port or path, after a crash or a stop. */
  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Writes what the process reads at start into its directory, again after a stop removed it. */
  #writeFiles(): void {
    if (this.#dir === undefined || this.#filesWritten) return;
    this.#filesWritten = true;
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    if (this.kind === 'ascii-auth') writeAsciiAuthFile(join(this.#dir, 'authfile'), this.users ?? {});
    else if (this.users !== undefined) writeSaslConfig(this.#dir, this.users);
  }

  #listenArgs(options: MemcachedOptions): string[] {
    const user = process.getuid?.() === 0 ? ['-u', 'root'] : [];
    if (this.socketPath !== undefined) return [...user, '-s', this.socketPath, '-a', '0700', '-U', '0'];
    const listen = [this.host, ...(options.extraHosts ?? [])].join(',');
    const base = [...user, '-l', listen, '-p', String(this.port), '-U', '0'];
    if (this.kind === 'ascii-auth') return [...base, '-Y', join(this.#dir as string, 'authfile')];
    if (this.kind === 'ascii-only') return [...base, '-B', 'ascii'];
    if (this.users !== undefined) base.push('-S');
    if (this.tls === undefined) return base;
    const files = tlsFiles();
    const settings = [`ssl_chain_cert=${files.serverCertFile}`, `ssl_key=${files.serverKeyFile}`];
    if (options.mutualTls) settings.push(`ssl_ca_cert=${files.caCertFile}`, 'ssl_verify_mode=2');
    return [...base, '-Z', '-o', settings.join(',')];
  }

  async #waitUntilReady(child: ChildProcess): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new MemcachedStartError(
          `memcached ${this.#args.join(' ')} exited (${child.exitCode ?? child.signalCode}): ${this.#log}`,
        );
      }
      if (await this.#accepts()) return;
      await sleep(20);
    }
    await this.stop();
    throw new MemcachedStartError(`memcached did not accept connections within ${READY_TIMEOUT_MS} ms: ${this.#log}`);
  }

  #accepts(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = this.socketPath === undefined ? connect(this.port, this.host) : connect(this.socketPath);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
  }
}

export class MemcachedStartError extends Error {
  override readonly name = 'MemcachedStartError';
}

/** Starts memcached; retries on a fresh port if another process took the one it was given. */
export async function startMemcached(options: MemcachedOptions = {}): Promise<MemcachedProcess> {
  const kind = options.kind ?? 'plain';
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const port = kind === 'unix' ? 0 : (options.port ?? (await freePort(options.host)));
    const server = new MemcachedProcess(kind, port, options);
    try {
      await server.start();
      return server;
    } catch (error) {
      await server.stop();
      lastError = error;
      if (!(error instanceof MemcachedStartError)) throw error;
    }
  }
  throw lastError;
}

/** Stops every memcached this process started. */
export async function stopAllMemcached(): Promise<void> {
  await Promise.all([...live].map((server) => server.stop()));
}

process.once('exit', () => {
  for (const server of live) server.signal('SIGKILL');
});

/** memcached's `-Y` file: one `user:password` per line. */
function writeAsciiAuthFile(file: string, users: Readonly<Record<string, string>>): void {
  writeFileSync(
    file,
    Object.entries(users)
      .map(([name, password]) => `${name}:${password}\n`)
      .join(''),
    { mode: 0o600 },
  );
}
