import { type ChildProcess, spawn } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.ts';
import { removeScratchDir, scratchDir } from './scratch-dir.ts';

const READY_TIMEOUT_MS = 5_000;
const START_ATTEMPTS = 5;

/** DNS names and the addresses each resolves to (A records; IPv6 addresses become AAAA). */
export type HostRecords = Readonly<Record<string, readonly string[]>>;

/** One SRV record (RFC 2782), served with dnsmasq's `--srv-host`. */
export interface SrvRecord {
  /** The owner name, e.g. `_memcache._tcp.memcached.cache.test`. */
  readonly name: string;
  /** The host name the service runs on (give it an A record in the hosts records). */
  readonly target: string;
  readonly port: number;
  /** Default 0. */
  readonly priority?: number;
  /** Default 0. */
  readonly weight?: number;
}

export interface DnsmasqOptions {
  /**
   * Run dnsmasq as shipped, without `--local=/test/`: with no upstream, a question its hosts file
   * cannot answer (AAAA for an IPv4-only name, any type for an unknown name) gets REFUSED, as from
   * a dnsmasq sidecar or a resolver that half-answers. Default false: authoritative for `.test`,
   * so that question gets NODATA (or NXDOMAIN), as from a cluster DNS.
   */
  readonly defaultConfig?: boolean;
  /**
   * SRV records to serve. They are command-line options, which SIGHUP does not reload: to change
   * them, stop this dnsmasq and start another with `port` set to its port. Default none.
   */
  readonly srv?: readonly SrvRecord[];
  /** The UDP/TCP port to listen on. Default: a free one. */
  readonly port?: number;
}

/**
 * A real DNS server: Debian's dnsmasq on a 127.0.0.1 UDP/TCP port, answering names under `.test`
 * only from a hosts file this helper writes (no upstream, no /etc/hosts, no cache). {@link setRecords} rewrites the
 * file and reloads it with SIGHUP, as an operator would. See {@link DnsmasqOptions} for what it
 * answers about names and types the file does not hold.
 */
export class Dnsmasq {
  readonly port: number;
  readonly #hostsFile: string;
  readonly #child: ChildProcess;
  #log = '';

  constructor(port: number, hostsFile: string, child: ChildProcess) {
    this.port = port;
    this.#hostsFile = hostsFile;
    this.#child = child;
    const record = (chunk: Buffer): void => {
      this.#log = (this.#log + chunk.toString()).slice(-4_000);
    };
    child.stdout?.on('data', record);
    child.stderr?.on('data', record);
  }

  /** The dnsmasq process id. */
  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** What a client's `dnsServers` option takes. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Replaces every record, reloads dnsmasq, and waits until it answers with the new addresses. */
  async setRecords(records: HostRecords): Promise<void> {
    writeHosts(this.#hostsFile, records);
    this.#child.kill('SIGHUP');
    await this.#waitFor(records);
  }

  /** Kills dnsmasq and removes its hosts file's directory; safe to call twice. */
  async stop(): Promise<void> {
    live.delete(this);
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      const exited = once(this.#child, 'exit');
      this.#child.kill('SIGKILL');
      await exited;
    }
    removeScratchDir(dirname(this.#hostsFile));
  }

  /** Waits until each name resolves to exactly its addresses (IPv4 ones; enough to see a reload). */
  async #waitFor(records: HostRecords, srv: readonly SrvRecord[] = []): Promise<void> {
    const resolver = new Resolver({ timeout: 200, tries: 1 });
    resolver.setServers([this.address]);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.#child.exitCode !== null) throw new Error(`dnsmasq exited: ${this.#log}`);
      if ((await answersAll(resolver, records)) && (await answersSrv(resolver, srv))) return;
      await sleep(20);
    }
    throw new Error(`dnsmasq did not serve the records within ${READY_TIMEOUT_MS} ms: ${this.#log}`);
  }

  static async start(records: HostRecords, options: DnsmasqOptions = {}): Promise<Dnsmasq> {
    let lastError: unknown;
    for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
      const hostsFile = join(scratchDir('dnsmasq'), 'hosts');
      writeHosts(hostsFile, records);
      const port = options.port ?? (await freePort());
      const child = spawn('dnsmasq', dnsmasqArgs(port, hostsFile, options), { stdio: ['ignore', 'pipe', 'pipe'] });
      const server = new Dnsmasq(port, hostsFile, child);
      live.add(server);
      try {
        await server.#waitFor(records, options.srv);
        return server;
      } catch (error) {
        lastError = error;
        await server.stop();
      }
    }
    throw lastError;
  }
}

const live = new Set<Dnsmasq>();

function dnsmasqArgs(port: number, hostsFile: string, options: DnsmasqOptions): string[] {
  return [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    `--port=${port}`,
    '--listen-address=127.0.0.1',
    '--bind-interfaces',
    '--no-resolv',
    '--no-hosts',
    `--addn-hosts=${hostsFile}`,
    '--cache-size=0',
    '--local-ttl=0',
    '--pid-file=',
    ...(process.getuid?.() === 0 ? ['--user=root'] : []),
    '--log-facility=-',
    // Authoritative for .test: an AAAA question for an IPv4-only name gets NODATA, as from a
    // cluster DNS, instead of REFUSED for want of an upstream.
    ...(options.defaultConfig === true ? [] : ['--local=/test/']),
    ...(options.srv ?? []).map(
      (record) =>
        `--srv-host=${record.name},${record.target},${record.port},${record.priority ?? 0},${record.weight ?? 0}`,
    ),
  ];
}

function writeHosts(file: string, records: HostRecords): void {
  for (const name of Object.keys(records)) {
    if (!name.endsWith('.test')) throw new Error(`dnsmasq test names end in .test (RFC 2606): ${name}`);
  }
  const lines = Object.entries(records).flatMap(([name, addresses]) => addresses.map((ip) => `${ip} ${name}`));
  writeFileSync(file, `${lines.join('\n')}\n`);
}

async function answersAll(resolver: Resolver, records: HostRecords): Promise<boolean> {
  for (const [name, addresses] of Object.entries(records)) {
    const expected = addresses.filter((ip) => !ip.includes(':')).sort();
    const got = await resolver.resolve4(name).catch(() => [] as string[]);
    if (got.sort().join() !== expected.join()) return false;
  }
  return true;
}

/** Whether every SRV name answers with as many records as it was given. */
async function answersSrv(resolver: Resolver, srv: readonly SrvRecord[]): Promise<boolean> {
  for (const name of new Set(srv.map((record) => record.name))) {
    const got = await resolver.resolveSrv(name).catch(() => []);
    if (got.length !== srv.filter((record) => record.name === name).length) return false;
  }
  return true;
}

/** Starts dnsmasq serving `records` on a free 127.0.0.1 port. */
export function startDnsmasq(records: HostRecords, options?: DnsmasqOptions): Promise<Dnsmasq> {
  return Dnsmasq.start(records, options);
}

process.once('exit', () => {
  for (const server of live) void server.stop();
});
