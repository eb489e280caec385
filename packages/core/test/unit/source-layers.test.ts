import { readdirSync, readFileSync, statSync } from 'node:fs';
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

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith('.ts')) out.push(relative(src, path));
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

/**
 * Files still over the limit, each with the reason it is not split yet. The test fails when one
 * grows over it and when one of these comes back under, so the list only ever shrinks.
 */
const STILL_OVER_300: readonly string[] = [
  // 382 lines: socket lifecycle, opening, replies, closing; writes, reply matching and failures are out.
  'transport/connection.ts',
  // 362 lines, one function: SHA-1's 80 rounds written out keep V8's state in locals (as loops over
  // an array it measured 1.8 times slower on a fleet's ring build; see the file's note).
  'cluster/rings/sha1.ts',
];

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

  it('has no source file over 300 lines but the known ones', () => {
    const long = [...graph.keys()].filter((file) => lineCount(readFileSync(join(src, file), 'utf8')) > 300);
    expect(long.sort()).toEqual([...STILL_OVER_300].sort());
  });
});
