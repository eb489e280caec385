// Adds a CommonJS entry to a built package (run in its directory after tsdown): dist/index.cjs,
// which require()s the ES module build (Node 20.19+ loads ES modules with require()), and
// dist/index.d.cts, the same declarations for TypeScript's CommonJS consumers (`module: node16`
// or `nodenext` in a CommonJS project would otherwise fail with TS1479). Not a second build: an
// app that both imports and requires the package still gets one copy of it, so `instanceof` on
// its classes and errors holds.
import { readFileSync, writeFileSync } from 'node:fs';

const dist = `${process.cwd()}/dist`;
// The entries to give a CommonJS twin (`index` unless named on the command line, e.g. `index prometheus`).
const entries = process.argv.length > 2 ? process.argv.slice(2) : ['index'];
for (const entry of entries) {
  writeFileSync(
    `${dist}/${entry}.cjs`,
    `'use strict';\n// The ES module build, loaded with require() (Node 20.19+): one copy for import and require alike.\nmodule.exports = require('./${entry}.mjs');\n`,
  );
  const declarations = readFileSync(`${dist}/${entry}.d.mts`, 'utf8');
  writeFileSync(
    `${dist}/${entry}.d.cts`,
    declarations.replace(`//# sourceMappingURL=${entry}.d.mts.map`, `//# sourceMappingURL=${entry}.d.cts.map`),
  );
  const map = JSON.parse(readFileSync(`${dist}/${entry}.d.mts.map`, 'utf8'));
  writeFileSync(`${dist}/${entry}.d.cts.map`, JSON.stringify({ ...map, file: `${entry}.d.cts` }));
}
