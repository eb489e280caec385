import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

// The built package (the global setup builds it), copied alone into an app's node_modules with no
// @opentelemetry/api beside it: what an app that only wants the Prometheus handler installs.
const PACKAGE = fileURLToPath(new URL('../..', import.meta.url));
let app: string;

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'dalli-otel-app-'));
  const target = join(app, 'node_modules', '@dalli', 'otel');
  mkdirSync(target, { recursive: true });
  for (const entry of ['package.json', 'dist']) cpSync(join(PACKAGE, entry), join(target, entry), { recursive: true });
});
afterAll(() => rmSync(app, { recursive: true, force: true }));

function run(code: string, type: 'module' | 'commonjs'): { status: number | null; output: string } {
  const flag = type === 'module' ? '--input-type=module' : '--input-type=commonjs';
  const child = spawnSync(process.execPath, [flag, '-e', code], { cwd: app, encoding: 'utf8' });
  return { status: child.status, output: `${child.stdout}${child.stderr}` };
}

it('@dalli/otel/prometheus loads with import and require without @opentelemetry/api installed', () => {
  const esm = run(
    "const m = await import('@dalli/otel/prometheus'); console.log(typeof m.prometheusHandler);",
    'module',
  );
  expect(esm).toEqual({ status: 0, output: 'function\n' });
  const cjs = run("console.log(typeof require('@dalli/otel/prometheus').prometheusHandler);", 'commonjs');
  expect(cjs).toEqual({ status: 0, output: 'function\n' });
});

it('@dalli/otel itself needs its peer, @opentelemetry/api', () => {
  const missing = run("await import('@dalli/otel');", 'module');
  expect(missing.status).not.toBe(0);
  expect(missing.output).toContain("Cannot find package '@opentelemetry/api'");
});
