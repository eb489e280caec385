import { defineConfig } from 'tsdown';
import { packageBuild } from '../../tsdown.package.ts';

// Two entries: the library (`main`, for tests and embedding) and the `dalli` executable.
export default defineConfig({ ...packageBuild, entry: ['src/index.ts', 'src/dalli.ts'] });
