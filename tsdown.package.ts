import type { UserConfig } from 'tsdown';

/** How every workspace package builds: ESM for Node 20.19+, declarations by isolatedDeclarations. */
export const packageBuild: UserConfig = {
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  dts: { isolatedDeclarations: true },
  sourcemap: true,
  clean: true,
};
