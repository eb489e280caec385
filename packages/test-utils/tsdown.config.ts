import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.package.ts';

// Built so that plain Node (the demo, the benchmark) can start memcached too; tests import the source.
export default defineConfig({ ...packageBuild, sourcemap: false });
