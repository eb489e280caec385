import type { UserConfig } from 'tsdown';

/**
 * How every workspace package builds: ESM for Node 20.19+, declarations by isolatedDeclarations,
 * with source maps for both (the declaration maps point into the shipped src/, so "go to
 * definition" lands in TypeScript). Published packages add a CommonJS entry after this build:
 * see scripts/commonjs-entry.mjs.
 */
export const packageBuild: UserConfig = {
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  dts: { isolatedDeclarations: true, sourcemap: true },
  sourcemap: true,
  clean: true,
};
