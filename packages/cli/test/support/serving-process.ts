import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { DALLI_BIN } from './run-dalli.ts';

/** A `dalli` command that serves HTTP (dashboard, exporter), running as a child process, with the URL it printed. */
export interface ServingProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Sends SIGINT (Ctrl-C) and resolves the exit status. */
  stop(): Promise<number | null>;
}

/**
 * Runs `dalli <args>` and resolves once it has printed a URL matching `url` (killed after 60 s at
 * the latest, so a test that forgets it cannot leave it running). `env` adds to a bare PATH.
 */
export async function startServing(
  args: readonly string[],
  url: RegExp,
  env: Readonly<Record<string, string>> = {},
): Promise<ServingProcess> {
  const child = spawn(process.execPath, [DALLI_BIN, ...args], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const exited = once(child, 'exit').then(([status]) => {
    clearTimeout(killer);
    return status as number | null;
  });
  let output = '';
  const printed = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = output.match(url);
      if (found) resolve(found[0]);
    });
    void exited.then((status) => reject(new Error(`dalli ${args[0]} exited (${status}) before printing its URL`)));
  });
  return {
    url: printed,
    child,
    stop: () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}
