import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  made.delete(dir);
}

process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
