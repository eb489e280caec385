import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

/** How a script ended. */
export interface ScriptResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A script still running. Stop it in a `finally`: nothing else will if the test fails. */
export interface RunningScript {
  readonly child: ChildProcess;
  /** What stdout matched when the script was ready. */
  readonly ready: RegExpMatchArray;
  /** Sends `signal` and waits for the script to end. */
  stop(signal?: NodeJS.Signals): Promise<ScriptResult>;
}

export interface ScriptOptions {
  readonly args?: readonly string[];
  readonly cwd?: string;
  /** Killed (SIGKILL) after this long. Default 60 s. */
  readonly timeoutMs?: number;
}

/**
 * Runs `node script ...args` as a user would. `MEMCACHE_SERVERS` is removed from its environment,
 * so examples under test start their own memcached instead of reaching whatever a developer set.
 */
function launch(script: string, options: ScriptOptions): { child: ChildProcess; result: Promise<ScriptResult> } {
  const env = { ...process.env };
  delete env.MEMCACHE_SERVERS;
  delete env.NODE_OPTIONS; // the test runner's loader hooks are not the user's
  const child = spawn(process.execPath, [script, ...(options.args ?? [])], {
    cwd: options.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const result = once(child, 'close').then(([status, signal]) => {
    clearTimeout(timer);
    return { status, signal, stdout, stderr } as ScriptResult;
  });
  return { child, result };
}

/** Runs a script to its end. */
export function runScript(script: string, options: ScriptOptions = {}): Promise<ScriptResult> {
  return launch(script, options).result;
}

/** Starts a script that keeps running, and resolves once its stdout matches `ready`. */
export async function startScript(script: string, ready: RegExp, options: ScriptOptions = {}): Promise<RunningScript> {
  const { child, result } = launch(script, options);
  let output = '';
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const onData = (chunk: string) => {
      output += chunk;
      const found = output.match(ready);
      if (found === null) return;
      child.stdout?.off('data', onData);
      resolve(found);
    };
    child.stdout?.on('data', onData);
    result.then((ended) =>
      reject(
        new Error(`script ended (${ended.status ?? ended.signal}) before ${ready}: ${ended.stdout}${ended.stderr}`),
      ),
    );
  });
  return {
    child,
    ready: match,
    stop: (signal = 'SIGTERM') => {
      child.kill(signal);
      return result;
    },
  };
}
