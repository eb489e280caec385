import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { removeScratchDir, scratchDir } from '../src/scratch-dir.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = scratchDir('file-setup');
afterAll(() => removeScratchDir(dir));

/**
 * Each file loads a module through a symlink, then stats a Unix socket, as a file that stops a
 * memcached -s would: whichever file runs second in the shared worker resolves its module after
 * the first one's socket stat. Node 20 then returns the symlinked path unresolved unless the
 * suite's per-file setup clears what the last stat left.
 */
function fixtureFile(name: string): string {
  return `import { lstatSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { expect, it } from 'vitest';

const require = createRequire(import.meta.url);

it('loads ${name} from its real path, then stats a socket', async () => {
  expect(require('./link/${name}.cjs')).toBe(${JSON.stringify(join(dir, 'real', `${name}.cjs`))});
  const socket = ${JSON.stringify(join(dir, `${name}.sock`))};
  const server = createServer();
  await new Promise((listening) => server.listen(socket, listening));
  lstatSync(socket);
  await new Promise((closed) => server.close(closed));
});
`;
}

it("the suite's per-file setup keeps a Unix socket one file stat'd from breaking the next file's symlinked requires", async () => {
  mkdirSync(join(dir, 'real'));
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  for (const name of ['first', 'second']) {
    writeFileSync(join(dir, 'real', `${name}.cjs`), 'module.exports = __filename;\n');
    writeFileSync(join(dir, `${name}.test.mjs`), fixtureFile(name));
  }
  // The suite's own setup files, as vitest.config.ts lists them.
  const listed = /setupFiles: \[([^\]]*)\]/.exec(readFileSync(join(root, 'vitest.config.ts'), 'utf8'))?.[1] ?? '';
  const setupFiles = [...listed.matchAll(/'([^']+)'/g)].map((match) => join(root, match[1] as string));
  expect(setupFiles.length).toBeGreaterThan(0);
  writeFileSync(
    join(dir, 'vitest.config.mjs'),
    `export default { test: { include: ['*.test.mjs'], pool: 'forks', maxWorkers: 1, isolate: false, setupFiles: ${JSON.stringify(setupFiles)} } };\n`,
  );
  const vitest = join(root, 'node_modules/vitest/vitest.mjs');
  const output = await new Promise<string>((resolve) => {
    const args = [vitest, 'run', '--root', dir, '--reporter=dot'];
    execFile(process.execPath, args, { cwd: dir }, (_error, stdout, stderr) =>
      resolve(stripVTControlCharacters(stdout + stderr)),
    );
  });
  expect(output).toMatch(/Tests\s+2 passed \(2\)/);
});
