// Adds a CommonJS entry to a built package (run in its directory after tsdown): dist/index.cjs,
// which require()s the ES module build (Node 20.19+ loads ES modules with require()), and
// dist/index.d.cts, the same declarations for TypeScript's CommonJS consumers (`module: node16`
// or `nodenext` in a CommonJS project would otherwise fail with TS1479). Not a second build: an
// app that both imports and requires the package still gets one copy of it, so `instanceof` on
// its classes and errors holds.
import { readFileSync, writeFileSync } from 'node:fs';

const dist = `${process.cwd()}/dist`;
writeFileSync(
  `${dist}/index.cjs`,
  "'use strict';\n// The ES module build, loaded with require() (Node 20.19+): one copy for import and require alike.\nmodule.exports = require('./index.mjs');\n",
);
const declarations = readFileSync(`${dist}/index.d.mts`, 'utf8');
writeFileSync(
  `${dist}/index.d.cts`,
  declarations.replace('//# sourceMappingURL=index.d.mts.map', '//# sourceMappingURL=index.d.cts.map'),
);
const map = JSON.parse(readFileSync(`${dist}/index.d.mts.map`, 'utf8'));
writeFileSync(`${dist}/index.d.cts.map`, JSON.stringify({ ...map, file: 'index.d.cts' }));
