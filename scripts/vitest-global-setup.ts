import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beginTestRun } from '../packages/test-utils/src/test-run.ts';

// Some tests load built packages (dist/) the way an app would, and the examples run as apps do.
// Rebuild whatever has a source file newer than its build, in dependency order, so running vitest
// directly never tests a stale build.
const root = fileURLToPath(new URL('..', import.meta.url));
const packages = [
  'packages/core',
  'packages/test-utils',
  'packages/keyv-adapter',
  'packages/cache-manager-store',
  'packages/express-session-store',
  'packages/unstorage-driver',
  'packages/bentocache-driver',
  'packages/next-cache-handler',
  'packages/otel',
  'packages/cli',
  'examples/nestjs-app',
];

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

function builtAt(dir: string): number {
  try {
    return newest(join(dir, 'dist'));
  } catch {
    return 0;
  }
}

/**
 * Builds what is stale, then opens the run's scratch folder (see beginTestRun). The teardown it
 * returns runs even when vitest killed a worker, whose own exit hooks never ran: it kills the
 * processes the run left alive and removes the folder, so the run leaves nothing in /tmp.
 */
export function setup(): () => void {
  for (const pkg of packages) {
    const dir = join(root, pkg);
    if (builtAt(dir) >= newest(join(dir, 'src'))) continue;
    // The package's own build script (tsdown, then the CommonJS entry where it has one): plain
    // tsdown empties dist/ and would leave the package without its require() entry.
    const script = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { scripts: { build: string } })
      .scripts.build;
    const bin = [join(dir, 'node_modules/.bin'), join(root, 'node_modules/.bin')].join(delimiter);
    const result = spawnSync('sh', ['-c', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
    });
    if (result.status !== 0) throw new Error(`building ${pkg} failed: ${result.stderr}${result.stdout}`);
  }
  const run = beginTestRun();
  return () => {
    const { killed } = run.end();
    // A leftover means some test's teardown did not stop what it started: say which, so it gets fixed.
    for (const process of killed) console.warn(`test run teardown: killed leftover process ${process}`);
  };
}
