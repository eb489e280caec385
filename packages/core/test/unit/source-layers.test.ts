import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * The layers of CONTRIBUTING.md, lowest first: a file may import its own layer or a lower one,
 * never a higher one. Rings are pure placement arithmetic, so they sit beside the protocol. Recipes
 * sit under the client that offers them: each sees the client only through the methods it declares.
 */
const layers: readonly (readonly string[])[] = [
  // A ServerError carries the reply's status: the statuses are the one protocol file errors read.
  ['errors.ts', 'protocol/reply-status.ts'],
  ['protocol/', 'cluster/rings/', 'cluster/ring-diff.ts'],
  ['values/', 'keys/', 'diagnostics/'],
  ['transport/'],
  ['options/', 'commands/'],
  ['cluster/'],
  ['dispatch/', 'routing/'],
  ['recipes/'],
  // The client and the parts it is composed from and runs operations with.
  ['client.ts', 'client-setup.ts', 'client-runner.ts', 'client-batches.ts'],
  ['index.ts'],
];

function layerOf(file: string): number {
  const at = layers.findIndex((prefixes) => prefixes.some((prefix) => file.startsWith(prefix)));
  if (at < 0) throw new Error(`${file} is in no layer: add its folder to the table`);
  return at;
}

/** The `.ts` files under `dir`, as paths relative to `root`. */
function sourceFiles(dir: string, out: string[] = [], root = src): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out, root);
    else if (name.endsWith('.ts')) out.push(relative(root, path));
  }
  return out;
}

/** Lines as `wc -l` counts them: a final newline ends the last line, it does not start another. */
function lineCount(text: string): number {
  const parts = text.split('\n').length;
  return text.endsWith('\n') ? parts - 1 : parts;
}

/** Every relative import (value or type) of each source file, as paths under src. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(src)) {
    const text = readFileSync(join(src, file), 'utf8');
    const targets = [...text.matchAll(/from '(\.\.?\/[^']+)'/g)].map((match) =>
      relative(src, resolve(dirname(join(src, file)), match[1] as string)),
    );
    graph.set(file, targets);
  }
  return graph;
}

/** One import cycle per strongly connected group, as a path, by depth-first search. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const target of graph.get(file) ?? []) {
      if (state.get(target) === 'open') found.push([...path.slice(path.indexOf(target)), target]);
      else if (state.get(target) === undefined) visit(target);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (state.get(file) === undefined) visit(file);
  return found;
}

/** The longest a source file may be (STYLE.md: aim under ~250, 300 at most). */
const MAX_LINES = 300;

/** Every package's source folder: the limit holds beside core too. */
const packagesDir = resolve(src, '../..');

function packageSourceFiles(): string[] {
  const files: string[] = [];
  for (const pkg of readdirSync(packagesDir)) {
    const dir = join(packagesDir, pkg, 'src');
    if (!statSync(join(packagesDir, pkg)).isDirectory() || !existsSync(dir)) continue;
    for (const file of sourceFiles(dir, [], dir)) files.push(join(pkg, 'src', file));
  }
  return files;
}

describe('source layout of @dalli/core', () => {
  const graph = importGraph();

  it('has no import from a lower layer to a higher one', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) if (layerOf(target) > layerOf(file)) upward.push(`${file} -> ${target}`);
    }
    expect(upward).toEqual([]);
  });

  it('has no import cycle', () => {
    expect(cycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it(`has no source file over ${MAX_LINES} lines, in core or in any other package`, () => {
    const files = packageSourceFiles();
    expect(files).toContain('core/src/transport/connection.ts');
    const long = files.filter((file) => lineCount(readFileSync(join(packagesDir, file), 'utf8')) > MAX_LINES);
    expect(long).toEqual([]);
  });
});
