import { readFileSync } from 'node:fs';

/**
 * This package's version, read from its package.json when asked (`dalli --version`). The file is
 * one level above both `src/` and the built `dist/`, so the same URL holds for either.
 */
export function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
