import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The built executable, as `npx dalli` runs it. */
export const DALLI_BIN: string = fileURLToPath(new URL('../../dist/dalli.mjs', import.meta.url));

export interface DalliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stdoutBytes: Buffer;
  readonly stderr: string;
}

export interface DalliRun {
  /** Environment on top of a clean one (no MEMCACHE_* from the developer's shell). */
  readonly env?: Readonly<Record<string, string>>;
  /** Bytes for stdin; stdin is closed after them (or at once). */
  readonly input?: string | Buffer;
}

/** Runs the built `dalli` binary as a child process and collects what it printed. */
export async function runDalli(args: readonly string[], run: DalliRun = {}): Promise<DalliResult> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, ...run.env };
  const child = spawn(process.execPath, [DALLI_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  child.stdin.end(run.input);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [status] = await once(child, 'close');
  clearTimeout(timer);
  const bytes = Buffer.concat(stdout);
  return { status, stdout: bytes.toString('utf8'), stdoutBytes: bytes, stderr: Buffer.concat(stderr).toString('utf8') };
}
