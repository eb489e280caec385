import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { once } from 'node:events';
import { waitForListener } from './nutcracker.ts';

/** memcached servers on memcached's default port 11211, each on its own loopback address. */
export interface DefaultPortServers {
  /** `127.a.b.c:11211` for each server. */
  readonly addresses: readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts `count` memcached processes on port 11211 of random 127.x.y.z addresses: libketama's
 * point names leave out the port only when it is 11211, so that case needs servers on it. Random
 * addresses keep parallel runs (and any memcached on 127.0.0.1:11211) apart.
 */
export async function startDefaultPortServers(count: number): Promise<DefaultPortServers> {
  const net = `127.${randomInt(1, 255)}.${randomInt(0, 255)}`;
  const hosts = Array.from({ length: count }, (_, i) => `${net}.${i + 1}`);
  // memcached refuses to run as root unless told which user to be.
  const asRoot = process.getuid?.() === 0 ? ['-u', 'root'] : [];
  const children = hosts.map((host) =>
    spawn('memcached', [...asRoot, '-l', host, '-p', '11211', '-U', '0', '-m', '16', '-t', '1'], { stdio: 'ignore' }),
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
    await Promise.all(children.map((child, i) => waitForListener(child, hosts[i] as string, 11211, 'memcached')));
  } catch (error) {
    await stop();
    throw error;
  }
  return { addresses: hosts.map((host) => `${host}:11211`), stop };
}
