import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

export function setup(): void {
  for (const pkg of packages) {
    const dir = join(root, pkg);
    if (builtAt(dir) >= newest(join(dir, 'src'))) continue;
    const result = spawnSync(process.execPath, [join(root, 'node_modules/tsdown/dist/run.mjs')], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`building ${pkg} failed: ${result.stderr}${result.stdout}`);
  }
}
