import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.package.ts';

// An app, not a library: one entry, no declarations.
export default defineConfig({ ...packageBuild, entry: ['src/main.ts'], dts: false });
