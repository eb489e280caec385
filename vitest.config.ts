import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { OraclesFirstSequencer } from './scripts/vitest-sequencer.ts';

/** Workspace packages resolve to their TypeScript source in tests; the published exports point at dist/ only. */
const sources: Record<string, string> = {
  '@dalli/core': 'packages/core/src/index.ts',
  '@dalli/keyv': 'packages/keyv-adapter/src/index.ts',
  '@dalli/cache-manager': 'packages/cache-manager-store/src/index.ts',
  '@dalli/express-session': 'packages/express-session-store/src/index.ts',
  '@dalli/unstorage': 'packages/unstorage-driver/src/index.ts',
  '@dalli/bentocache': 'packages/bentocache-driver/src/index.ts',
  '@dalli/next': 'packages/next-cache-handler/src/index.ts',
  '@dalli/cli': 'packages/cli/src/index.ts',
  '@dalli/otel': 'packages/otel/src/index.ts',
  '@dalli/otel/prometheus': 'packages/otel/src/prometheus.ts',
  '@dalli/test-utils': 'packages/test-utils/src/index.ts',
};

export default defineConfig({
  resolve: {
    alias: Object.entries(sources).map(([name, path]) => ({
      find: new RegExp(`^${name}$`),
      replacement: fileURLToPath(new URL(path, import.meta.url)),
    })),
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    globalSetup: ['./scripts/vitest-global-setup.ts'],
    setupFiles: ['./scripts/vitest-file-setup.ts'],
    pool: 'forks',
    // Tests mostly wait on sockets, timers and child processes: a third worker fills the gaps.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // A worker runs file after file in one process: the sources, vitest and the test libraries load
    // once per worker, not once per file (a third less CPU for the whole suite). So every file
    // stops and closes what it starts, and scripts/vitest-file-setup.ts undoes a Node 20 resolver
    // quirk that one file's Unix socket would leave for the next.
    isolate: false,
    sequence: { sequencer: OraclesFirstSequencer },
  },
});
