import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startMemcached } from '../src/index.ts';
import { removeScratchDir, scratchDir } from '../src/scratch-dir.ts';

/**
 * Node 20's `fs.realpathSync` (which `require` resolves every module path with) takes the type of
 * a path part it has cached from whatever file was stat'd last: after an `lstat` of a Unix socket
 * it stops at the first cached part and returns the path unresolved, and `require` caches that.
 * A package reached through a pnpm symlink then looks for its own dependencies beside the symlink
 * and finds another version, or none ("Cannot find module 'hashring'", "mime.define is not a
 * function"): in every later test file of the same worker when files share one (isolate: false).
 * Removing a Unix-socket memcached's folder lstat's its socket, so the stop must not leave that behind.
 */
const dir = scratchDir('symlinked-package');
afterAll(() => removeScratchDir(dir));

it('a module reached through a symlink loads from its real path after a Unix-socket memcached stopped', async () => {
  mkdirSync(join(dir, 'real'));
  writeFileSync(join(dir, 'real', 'first.cjs'), 'module.exports = __filename;\n');
  writeFileSync(join(dir, 'real', 'second.cjs'), 'module.exports = __filename;\n');
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  const require = createRequire(join(dir, 'index.cjs'));
  // As a test run does: earlier loads leave the parts of the path in require's realpath cache.
  expect(require('./link/first.cjs')).toBe(join(dir, 'real', 'first.cjs'));
  const server = await startMemcached({ kind: 'unix' });
  await server.stop();
  expect(require('./link/second.cjs')).toBe(join(dir, 'real', 'second.cjs'));
});
