import { fileURLToPath } from 'node:url';
import { runScript, type ScriptResult } from '@dalli/test-utils';
import { beforeAll, expect, it } from 'vitest';

const main = fileURLToPath(new URL('../main.mjs', import.meta.url));

// One `next build` (slow: most of this file's time) and one walkthrough on two `next start`
// instances against real memcached; the tests read its output.
let run: ScriptResult;
let versions: string[];
beforeAll(async () => {
  run = await runScript(main, { args: ['--build'], timeoutMs: 280_000 });
  versions = [...run.stdout.matchAll(/GET \/products -> catalog version (\S+)/g)].map((match) => match[1] as string);
}, 300_000);

it('builds with next build and walks through on two next start instances, then exits cleanly', () => {
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/built in \d+\.\d s/);
  expect(run.stdout).toContain('A POST /api/revalidate?tag=products -> 200');
  expect(run.stdout).toContain('B POST /api/revalidate?path=/products -> 200');
  expect(versions).toHaveLength(6);
  expect(versions.every((version) => /^[0-9a-f-]{36}$/.test(version))).toBe(true);
});

it('serves on instance B the page instance A rendered (one cache)', () => {
  expect(versions[1]).toBe(versions[0]);
});

it('serves a fresh page on B after revalidateTag on A, and the same one on A', () => {
  expect(versions[2]).not.toBe(versions[1]);
  expect(versions[3]).toBe(versions[2]);
});

it('serves a fresh page on A after revalidatePath on B, and the same one on B', () => {
  expect(versions[4]).not.toBe(versions[3]);
  expect(versions[5]).toBe(versions[4]);
});
