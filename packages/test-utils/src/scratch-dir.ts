import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * The environment variable naming a test run's scratch folder (set by {@link beginTestRun}): every
 * scratch directory of the run is made inside it, so that the run's teardown removes whatever a
 * killed worker could not.
 */
export const RUN_FOLDER_VARIABLE = 'DALLI_TEST_RUN_FOLDER';

const made = new Set<string>();

/**
 * A fresh directory inside the run's folder (or the system temp directory outside a test run). Its
 * owner removes it with {@link removeScratchDir} in its own stop; an exit hook is the last defence
 * for a process that ends normally, and the run's teardown for one that is killed.
 */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(process.env[RUN_FOLDER_VARIABLE] || tmpdir(), `dalli-${prefix}-`));
  made.add(dir);
  return dir;
}

/** Removes a directory made by {@link scratchDir}, with everything in it; safe to call twice. */
export function removeScratchDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  forgetLastStat(dir);
  made.delete(dir);
}

/**
 * Removing a folder lstat's what is in it, a Unix socket included. Node 20's `fs.realpathSync`,
 * which `require` resolves every module path with, takes the type of a path part it has cached
 * from the last file stat'd: after a socket it returns the path unresolved, so a package reached
 * through a pnpm symlink looks for its dependencies beside the link and finds another version or
 * none (Node 24 is fixed). A stat of the parent folder makes a directory the last file stat'd, for
 * the rest of this test file; scripts/vitest-file-setup.ts does the same before each file, whatever
 * else the file before it stat'd.
 */
function forgetLastStat(dir: string): void {
  statSync(dirname(dir), { throwIfNoEntry: false });
}

process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
