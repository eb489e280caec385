import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runDalli } from '../support/run-dalli.ts';

describe('dalli exporter: help and usage errors (the built binary)', () => {
  it('is listed by --help with its example, and exporter --help prints its usage', async () => {
    const general = await runDalli(['--help']);
    expect(general.stdout).toMatch(/^ {2}exporter \[--port N\] \[--host ADDRESS\]$/m);
    expect(general.stdout).toMatch(/^ {6}e\.g\. dalli exporter --servers /m);
    const own = await runDalli(['exporter', '--help']);
    expect(own.status).toBe(0);
    expect(own.stdout).toMatch(/^Usage: dalli exporter \[--port N\] \[--host ADDRESS\]/);
  });

  it.each([
    [['--port', '70000'], 'dalli: --port must be an integer from 1 to 65535 (got "70000")\n'],
    [['extra'], 'dalli: expected , got 1 argument\n'],
  ])('exporter %j exits 2 before serving', async (args, message) => {
    const { status, stdout, stderr } = await runDalli(['exporter', ...args, '--servers', '127.0.0.1:1']);
    expect(stderr).toBe(message);
    expect(stdout).toBe('');
    expect(status).toBe(2);
  });

  it('exits 2 when its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const { status, stderr } = await runDalli(['exporter', '--port', String(port), '--servers', '127.0.0.1:1']);
      expect(stderr).toBe(`dalli: --port ${port}: cannot listen on 127.0.0.1 (EADDRINUSE)\n`);
      expect(status).toBe(2);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });
});
