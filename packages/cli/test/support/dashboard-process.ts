import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { DALLI_BIN } from './run-dalli.ts';

/** `dalli dashboard` running as a child process, with the URL it printed. */
export interface RunningDashboard {
  readonly url: string;
  readonly child: ChildProcess;
  /** Sends SIGINT (Ctrl-C) and resolves the exit status. */
  stop(): Promise<number | null>;
}

export async function startDashboard(servers: string, extra: readonly string[] = []): Promise<RunningDashboard> {
  const args = [DALLI_BIN, 'dashboard', '--servers', servers, '--port', '0', '--interval', '0.3', ...extra];
  const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exited = once(child, 'exit').then(([status]) => {
    clearTimeout(killer);
    return status as number | null;
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = output.match(/http:\/\/127\.0\.0\.1:\d+\//);
      if (found) resolve(found[0]);
    });
    void exited.then((status) => reject(new Error(`dalli dashboard exited (${status}) before printing its URL`)));
  });
  return {
    url,
    child,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
