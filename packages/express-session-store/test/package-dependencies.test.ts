import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';

// What an app installs with this package: its runtime needs only, and the types its published
// declarations import left to the app (which has them already if it is written in TypeScript).
interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Manifest;
const require = createRequire(import.meta.url);

/** The packages the sources import (their declarations import the same): bare names, not `node:` or relative paths. */
function importedPackages(): string[] {
  const sources = new URL('../src/', import.meta.url);
  const names = new Set<string>();
  for (const file of readdirSync(sources)) {
    const text = readFileSync(new URL(file, sources), 'utf8');
    for (const [, specifier] of text.matchAll(/from '([^'.][^']*)'/g)) {
      if (specifier?.startsWith('node:') === false) names.add(specifier);
    }
  }
  return [...names].sort();
}

/** Whether a package ships its own declarations (else they come from DefinitelyTyped's `@types/…`). */
function shipsTypes(name: string): boolean {
  const packageJson = require.resolve(`${name}/package.json`);
  const own = JSON.parse(readFileSync(packageJson, 'utf8')) as { types?: string; typings?: string };
  return own.types !== undefined || own.typings !== undefined || existsSync(join(dirname(packageJson), 'index.d.ts'));
}

it('installs no @types package in production', () => {
  expect(Object.keys(manifest.dependencies ?? {}).filter((name) => name.startsWith('@types/'))).toEqual([]);
});

it('takes every package its code and types import as a peer, and their @types packages as optional peers', () => {
  const imported = importedPackages();
  expect(imported).toEqual(['@dalli/core', 'express-session']);
  for (const name of imported) {
    expect(manifest.peerDependencies, name).toHaveProperty([name]);
    if (shipsTypes(name)) continue;
    const types = `@types/${name}`;
    expect(manifest.peerDependencies, types).toHaveProperty([types]);
    expect(manifest.peerDependenciesMeta?.[types]?.optional, types).toBe(true);
  }
});
