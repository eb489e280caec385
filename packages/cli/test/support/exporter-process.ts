import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { DALLI_BIN } from './run-dalli.ts';

/** `dalli exporter` running as a child process, with the /metrics URL it printed. */
export interface RunningExporter {
  readonly url: string;
  /** Sends SIGINT (Ctrl-C) and resolves the exit status. */
  stop(): Promise<number | null>;
}

/** Starts it on a free port; `extra` flags (TLS, SASL) and `env` (the password) as a user gives them. */
export async function startExporter(
  servers: string,
  extra: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<RunningExporter> {
  const args = [DALLI_BIN, 'exporter', '--servers', servers, '--port', '0', '--timeout', '0.5', ...extra];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exited = once(child, 'exit').then(([status]) => {
    clearTimeout(killer);
    return status as number | null;
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = output.match(/http:\/\/127\.0\.0\.1:\d+\/metrics/);
      if (found) resolve(found[0]);
    });
    void exited.then((status) => reject(new Error(`dalli exporter exited (${status}) before printing its URL`)));
  });
  return {
    url,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
