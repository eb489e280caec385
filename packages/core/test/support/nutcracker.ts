import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@dalli/test-utils';

/** A running twemproxy (Debian's nutcracker 0.5.0) in front of memcached servers. */
export interface Nutcracker {
  /** Where clients connect: `127.0.0.1:port`. */
  readonly address: string;
  stop(): Promise<void>;
}

/**
 * Starts nutcracker with `distribution: ketama` and `hash: md5` over `servers`, each a config line
 * (`127.0.0.1:port:weight`, optionally followed by a name), and `hash_tag` when `hashTag` is given.
 * Its stats port is a free one, so parallel runs never collide on the default 22222.
 */
export async function startNutcracker(servers: readonly string[], hashTag?: string): Promise<Nutcracker> {
  const dir = mkdtempSync(join(tmpdir(), 'dalli-nutcracker-'));
  const [port, statsPort] = [await freePort(), await freePort()];
  const config = [
    'pool:',
    `  listen: 127.0.0.1:${port}`,
    '  hash: md5',
    '  distribution: ketama',
    ...(hashTag === undefined ? [] : [`  hash_tag: ${JSON.stringify(hashTag)}`]),
    '  auto_eject_hosts: false',
    '  timeout: 2000',
    '  servers:',
    ...servers.map((server) => `    - ${server}`),
  ].join('\n');
  writeFileSync(join(dir, 'nutcracker.yml'), `${config}\n`);
  const child = spawn(
    'nutcracker',
    [
      '-c',
      join(dir, 'nutcracker.yml'),
      '-s',
      String(statsPort),
      '-a',
      '127.0.0.1',
      '-o',
      join(dir, 'log'),
      '-p',
      join(dir, 'pid'),
    ],
    { stdio: 'ignore' },
  );
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForListener(child, '127.0.0.1', port, 'nutcracker');
  } catch (error) {
    await stop();
    throw error;
  }
  return { address: `127.0.0.1:${port}`, stop };
}

/** Waits (up to 5 s) until `child` accepts connections on host:port. */
export async function waitForListener(child: ChildProcess, host: string, port: number, what: string): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not start listening on ${host}:${port} within 5 s`);
}
