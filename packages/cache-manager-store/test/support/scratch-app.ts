import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, whose built packages the scratch apps install. */
export const root: string = fileURLToPath(new URL('../../../..', import.meta.url));

/** Installs a workspace package into a scratch app as an app would get it: its package.json and dist/. */
export function copyPackage(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of ['package.json', 'dist']) cpSync(join(root, from, entry), join(to, entry), { recursive: true });
}

/** A symbolic link at `path` (its folders made) to `target`. */
export function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}
