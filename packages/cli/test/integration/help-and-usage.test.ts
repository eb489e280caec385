import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDalli } from '../support/run-dalli.ts';

const COMMANDS = ['locate', 'get', 'set', 'delete', 'touch', 'incr', 'decr', 'stats', 'top', 'keys', 'ring', 'flush'];

describe('dalli --help and usage errors (the built binary)', () => {
  it('--help lists every command, each with an example, and exits 0', async () => {
    const { status, stdout } = await runDalli(['--help']);
    expect(status).toBe(0);
    for (const command of COMMANDS) {
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
      expect(stdout).toMatch(new RegExp(`^      e\\.g\\. dalli ${command}\\b`, 'm'));
    }
    expect(stdout).toContain('Exit codes: 0 ok, 1 miss or not found, 2 usage error, 3 cluster error');
  });

  it('--version prints the version in package.json and exits 0', async () => {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    const { status, stdout, stderr } = await runDalli(['--version']);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toBe(`${manifest.version}\n`);
  });

  it('<command> --help prints that command with its example', async () => {
    const { status, stdout } = await runDalli(['ring', '--help']);
    expect(status).toBe(0);
    expect(stdout).toMatch(/^Usage: dalli ring /);
    expect(stdout).toContain('Example: dalli ring ');
  });

  it('an unknown command exits 2 with one line on stderr', async () => {
    const { status, stdout, stderr } = await runDalli(['gte', 'key']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('dalli: unknown command "gte"; see dalli --help\n');
  });

  it('an unknown flag exits 2 with one line and no stack trace', async () => {
    const { status, stderr } = await runDalli(['get', 'k', '--bogus']);
    expect(status).toBe(2);
    expect(stderr.split('\n')).toHaveLength(2);
    expect(stderr).toMatch(/^dalli: get: Unknown option '--bogus'/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses --password: a password never comes from a flag (exit 2, the value not echoed)', async () => {
    const { status, stderr } = await runDalli(['get', 'k', '--username', 'u', '--password', 'hunter2']);
    expect(status).toBe(2);
    expect(stderr).toContain('--password is not accepted');
    expect(stderr).not.toContain('hunter2');
  });

  it('--username without a password in the environment is a usage error (exit 2)', async () => {
    const { status, stderr } = await runDalli(['get', 'k', '--username', 'dalli']);
    expect(status).toBe(2);
    expect(stderr).toBe('dalli: --username dalli needs a password in MEMCACHE_PASSWORD\n');
  });

  it.each([
    [['set', 'k', 'v', '--ttl', 'soon'], /--ttl must be a number of seconds/],
    [['incr', 'k', '-3'], /Unknown option '-3'|amount must be an unsigned integer/],
    [['incr', 'k', '1.5'], /amount must be an unsigned integer/],
    [['get'], /expected <key>, got 0 arguments/],
    [['get', 'a b'], /key/i],
    [['get', 'k', '--tls-ca', '/nonexistent/ca.pem'], /--tls-ca: cannot read \/nonexistent\/ca.pem \(ENOENT\)/],
    [['get', 'k', '--distribution', 'modulo'], /distribution must be one of/],
    [['ring', '--sample', '0'], /--sample must be an integer from 1/],
  ])('%j is a usage error: exit 2 before anything is sent', async (args, message) => {
    // No server listens on port 1: a request would fail with exit 3, not 2.
    const { status, stderr } = await runDalli([...args, '--servers', '127.0.0.1:1']);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('an unreachable server is a cluster error: exit 3, one line naming the server', async () => {
    const { status, stderr } = await runDalli(['get', 'k', '--servers', '127.0.0.1:1']);
    expect(status).toBe(3);
    expect(stderr).toMatch(/^dalli: .*127\.0\.0\.1:1.*ECONNREFUSED.*\n$/);
  });
});
