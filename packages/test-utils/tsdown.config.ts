import { defineConfig } from 'tsdown';

// Built so that plain Node (the demo, the benchmark) can start memcached too; tests import the source.
export default defineConfig({
  entry: ['src/index.ts'],
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  dts: { isolatedDeclarations: true },
  clean: true,
});
