import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: a plain .mjs helper shared with the bench, which runs without a TypeScript step.
import { runtimeBinary } from './runtime-binaries.mjs';

export type RuntimeName = 'node' | 'bun' | 'deno';

/** One check of the suite as a runtime ran it. */
export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly error?: string;
}

export interface SuiteRun {
  readonly runtime: RuntimeName;
  readonly version: string;
  readonly results: readonly CheckResult[];
  /** How the process ended: 0 when it exited by itself (nothing left keeping it alive). */
  readonly exitCode: number | string | null;
}

const SUITE = fileURLToPath(new URL('./suite.mjs', import.meta.url));
const BUILT = ['../../dist/index.mjs', '../../../keyv-adapter/dist/index.mjs'].map((path) =>
  fileURLToPath(new URL(path, import.meta.url)),
);
/** The whole suite takes a few seconds; a hang is cut off well before the test's own timeout. */
const SUITE_TIMEOUT_MS = 25_000;

/** The command line that runs the suite under `runtime`. */
function commandFor(runtime: RuntimeName, servers: { readonly unix?: string }): [string, string[]] {
  const json = JSON.stringify(servers);
  if (runtime === 'node') return [process.execPath, [SUITE, json]];
  if (runtime === 'bun') return [runtimeBinary('bun'), [SUITE, json]];
  // Deno asks for each permission: sockets, the files it loads, what node:os and Keyv read, and
  // (its rule for connecting to a Unix socket) write access to the socket's path.
  const allowWrite = servers.unix === undefined ? [] : [`--allow-write=${servers.unix}`];
  return [
    runtimeBinary('deno'),
    ['run', '--allow-net', '--allow-read', '--allow-env', '--allow-sys', ...allowWrite, SUITE, json],
  ];
}

/**
 * Runs the runtime suite (suite.mjs, on the built packages) under `runtime` against `servers`
 * and resolves its JSON summary; rejects with the runtime's output if it printed none.
 */
export function runSuite(runtime: RuntimeName, servers: { readonly unix?: string }): Promise<SuiteRun> {
  const missing = BUILT.filter((file) => !existsSync(file));
  if (missing.length > 0) {
    return Promise.reject(
      new Error(`build first (pnpm --filter @dalli/core --filter @dalli/keyv run build): ${missing}`),
    );
  }
  const [file, args] = commandFor(runtime, servers);
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' };
  delete env.NODE_OPTIONS; // the test runner's loader hooks are not the runtime's
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: SUITE_TIMEOUT_MS, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('{"runtime"'));
      if (line === undefined) reject(new Error(`${runtime} printed no summary (${error}): ${stdout}\n${stderr}`));
      else
        resolve({
          ...(JSON.parse(line) as Omit<SuiteRun, 'exitCode'>),
          exitCode: error === null ? 0 : (error.code ?? error.signal ?? null),
        });
    });
  });
}
