import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDalli } from '../support/run-dalli.ts';

const ROOT_README = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');

/** The README's `$ npx dalli locate …` line and the output lines under it, up to the next `$` line. */
function locateExample(): { args: string[]; output: string } {
  const found = /^\$ npx dalli (locate [^\n]*)\n((?:(?!\$ |```)[^\n]*\n)*)/m.exec(ROOT_README);
  if (found === null) throw new Error('the root README has no "$ npx dalli locate" example');
  return { args: (found[1] as string).trim().split(/\s+/), output: found[2] as string };
}

describe("the root README's dalli locate example", () => {
  // locate computes placement from the ring alone and sends nothing, so the README's addresses
  // (10.0.0.x) are never contacted.
  it('prints exactly what the README shows', async () => {
    const { args, output } = locateExample();
    expect(args).toContain('--servers');
    const { status, stdout, stderr } = await runDalli(args);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe(output);
  });
});
