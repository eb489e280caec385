import { PassThrough } from 'node:stream';
import { ExitCode, main } from '@dalli/cli';
import { describe, expect, it } from 'vitest';

function memoryIo(env: NodeJS.ProcessEnv = {}) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  stderr.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const io = { stdout, stderr, stdin: new PassThrough(), env };
  return { io, output: () => ({ out, err }) };
}

describe('main() for embedding', () => {
  it('runs a command on given streams and resolves its exit code (locate sends nothing)', async () => {
    const { io, output } = memoryIo({ MEMCACHE_SERVERS: '127.0.0.1:1,127.0.0.1:2' });
    expect(await main(['locate', 'user:42', '--json'], io)).toBe(ExitCode.ok);
    const [located] = JSON.parse(output().out);
    expect(located).toMatchObject({ key: 'user:42', wireKey: 'user:42', distribution: 'dalli' });
    expect(['127.0.0.1:1', '127.0.0.1:2']).toContain(located.server);
  });

  it('no command prints the help and resolves the usage code', async () => {
    const { io, output } = memoryIo();
    expect(await main([], io)).toBe(ExitCode.usage);
    expect(output().out).toContain('Usage: dalli <command>');
  });
});
