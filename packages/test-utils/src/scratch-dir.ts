import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A fresh temporary directory, removed when the process exits. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `dalli-${prefix}-`));
  made.push(dir);
  return dir;
}

process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});
