import { fileURLToPath } from 'node:url';
import { runScript } from '@dalli/test-utils';
import { expect, it } from 'vitest';

const script = (name: string) => fileURLToPath(new URL(`../${name}`, import.meta.url));

it('loads @dalli/core with require() from CommonJS, without a warning', async () => {
  const run = await runScript(script('consumer.cjs'));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`[cjs] require('@dalli/core') -> get: {"from":"CommonJS"}`);
  expect(run.stdout).toContain('[cjs] bad key -> InvalidKeyError (instanceof: true)');
});

it('loads @dalli/core with import from an ES module', async () => {
  const run = await runScript(script('consumer.mjs'));
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(run.stdout).toContain(`[esm] import { Client } from '@dalli/core' -> get: {"from":"ESM"}`);
  expect(run.stdout).toContain('[esm] bad key -> InvalidKeyError (instanceof: true)');
});
