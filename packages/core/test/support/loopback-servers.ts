import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { freePort } from '@dalli/test-utils';
import { waitForListener } from './nutcracker.ts';

/** memcached servers started on chosen loopback addresses. */
export interface LoopbackServers {
  /** Server entries for a client: `127.a.b.c:11211` or `[::1]:port`. */
  readonly addresses: readonly string[];
  stop(): Promise<void>;
}

/**
 * `count` memcached processes on memcached's default port 11211, each on a random 127.x.y.z
 * address: libketama's point names leave the port out only when it is 11211, so that case needs
 * servers on it. Random addresses keep parallel runs (and any memcached on 127.0.0.1:11211) apart.
 */
export async function startDefaultPortServers(count: number): Promise<LoopbackServers> {
  const net = `127.${randomInt(1, 255)}.${randomInt(0, 255)}`;
  return startServers(Array.from({ length: count }, (_, i) => ({ host: `${net}.${i + 1}`, port: 11211 })));
}

/** `count` memcached processes on free ports of ::1, the IPv6 loopback. */
export async function startIpv6Servers(count: number): Promise<LoopbackServers> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort('::1')));
  return startServers(ports.map((port) => ({ host: '::1', port })));
}

async function startServers(endpoints: { host: string; port: number }[]): Promise<LoopbackServers> {
  // memcached refuses to run as root unless told which user to be.
  const asRoot = process.getuid?.() === 0 ? ['-u', 'root'] : [];
  const children = endpoints.map(({ host, port }) =>
    spawn('memcached', [...asRoot, '-l', host, '-p', String(port), '-U', '0', '-m', '16', '-t', '1'], {
      stdio: 'ignore',
    }),
  );
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        await once(child, 'exit');
      }),
    );
  };
  try {
    await Promise.all(
      children.map((child, i) => {
        const { host, port } = endpoints[i] as { host: string; port: number };
        return waitForListener(child, host, port, 'memcached');
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const entry = ({ host, port }: { host: string; port: number }): string =>
    host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
  return { addresses: endpoints.map(entry), stop };
}
