import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchError, Client, ServerError } from '../../src/index.ts';
import { startScriptedLineServer } from '../support/scripted-line-server.ts';

// memcached's proxy (and ElastiCache Serverless) answers a quiet `mg` whose backend failed with a
// bare `SERVER_ERROR …` line: no opaque, no key, in the middle of a batch. Whose it is must come
// from what follows it, and a request it may answer fails with it, never reads as a miss.

const BACKEND_DOWN = 'SERVER_ERROR backend failure\r\n';
const opened: { client: Client; close: () => void }[] = [];

afterEach(async () => {
  for (const { client, close } of opened.splice(0)) {
    await client.close();
    close();
  }
});

/**
 * A meta server: `mg` of a key in `failing` answers the error line, of a key in `values` its value
 * (quiet or not), of others a miss (silent when quiet); `ms` stores (HD, or `storeReply`), `mn` MN.
 */
async function proxyServer(
  values: Record<string, string>,
  failing: readonly string[],
  storeReply = (opaque: string) => `HD O${opaque}\r\n`,
): Promise<Client> {
  let storing = false;
  const server = await startScriptedLineServer((line: string, socket: Socket) => {
    if (storing) {
      storing = false;
      return;
    }
    const [command, key = ''] = line.split(' ');
    const opaque = / O(\d+)/.exec(line)?.[1] ?? '';
    const quiet = / q( |$)/.test(line);
    if (command === 'mn') socket.write('MN\r\n');
    else if (command === 'ms') {
      storing = true;
      socket.write(storeReply(opaque));
    } else if (command === 'mg' && failing.includes(key)) socket.write(BACKEND_DOWN);
    else if (command === 'mg' && values[key] !== undefined) {
      const value = values[key] as string;
      socket.write(`VA ${value.length} f0 k${key} O${opaque}\r\n${value}\r\n`);
    } else if (command === 'mg' && !quiet) socket.write(`EN O${opaque}\r\n`);
  });
  const client = new Client(server.address, { protocol: 'meta', socketMaxFailures: 1, socketTimeout: 2 });
  opened.push({ client, close: server.close });
  return client;
}

it('fails the key whose mg got the error line and keeps the values that came after it', async () => {
  const client = await proxyServer({ a: 'A', c: 'C' }, ['b']);
  const error = await client.getMulti(['a', 'b', 'c', 'd']).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BatchError);
  const batch = error as BatchError<Map<string, unknown>>;
  expect(batch.results).toEqual(
    new Map([
      ['a', 'A'],
      ['c', 'C'],
    ]),
  );
  expect([...batch.errors.keys()]).toEqual(['b']);
  expect(batch.errors.get('b')).toBeInstanceOf(ServerError);
  expect(batch.errors.get('b')?.message).toContain('backend failure');
});

it('an error line among the last quiet gets fails each key it could answer, never reports a miss', async () => {
  const client = await proxyServer({ a: 'A' }, ['c']);
  const error = await client.getMulti(['a', 'b', 'c']).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(BatchError);
  const batch = error as BatchError<Map<string, unknown>>;
  expect(batch.results).toEqual(new Map([['a', 'A']]));
  // b may have missed silently or be the one that failed: either way it is no miss.
  expect([...batch.errors.keys()].sort()).toEqual(['b', 'c']);
});

it('a set written after the failed quiet gets, and stored, resolves true', async () => {
  const client = await proxyServer({}, ['a']);
  const [multi, stored] = await Promise.allSettled([client.getMulti(['a', 'b']), client.set('x', 'X')]);
  expect(stored).toEqual({ status: 'fulfilled', value: true });
  expect(multi.status).toBe('rejected');
  const batch = (multi as PromiseRejectedResult).reason as BatchError<Map<string, unknown>>;
  expect([...batch.errors.keys()].sort()).toEqual(['a', 'b']);
});

it('an error line that answers the set itself fails the set, and the quiet gets before it missed', async () => {
  const client = await proxyServer({ a: 'A' }, [], () => 'SERVER_ERROR out of memory storing object\r\n');
  const [multi, stored] = await Promise.allSettled([client.getMulti(['a', 'b']), client.set('x', 'X')]);
  expect(multi).toEqual({ status: 'fulfilled', value: new Map([['a', 'A']]) });
  expect(stored.status).toBe('rejected');
  expect((stored as PromiseRejectedResult).reason).toBeInstanceOf(ServerError);
  expect(((stored as PromiseRejectedResult).reason as Error).message).toContain('out of memory');
});

it('the connection stays in step: the next request gets its own answer', async () => {
  const client = await proxyServer({ a: 'A', n: 'N' }, ['b']);
  await client.getMulti(['a', 'b', 'c']).catch(() => {});
  expect(await client.get('n')).toBe('N');
  expect(await client.get('b').catch((e: unknown) => e)).toBeInstanceOf(ServerError);
});

describe('text', () => {
  // Text requests are never quiet: every one gets an answer, so an error line is its request's.
  async function textServer(): Promise<Client> {
    let storing = false;
    const server = await startScriptedLineServer((line: string, socket: Socket) => {
      if (storing) {
        storing = false;
        socket.write('STORED\r\n');
        return;
      }
      const [command, ...keys] = line.split(' ');
      if (command === 'set') storing = true;
      else if (command === 'get' || command === 'gets') {
        for (const key of keys) {
          if (key === 'b') {
            socket.write(BACKEND_DOWN);
            return;
          }
          socket.write(`VALUE ${key} 0 ${key.length} 1\r\n${key}\r\n`);
        }
        socket.write('END\r\n');
      }
    });
    const client = new Client(server.address, { protocol: 'text', coalesceGets: false, socketMaxFailures: 1 });
    opened.push({ client, close: server.close });
    return client;
  }

  it('an error line fails its own get; the set and get pipelined after it get their own answers', async () => {
    const client = await textServer();
    const [failed, stored, read] = await Promise.allSettled([client.get('b'), client.set('x', 'X'), client.get('c')]);
    expect(failed.status).toBe('rejected');
    expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(ServerError);
    expect(stored).toEqual({ status: 'fulfilled', value: true });
    expect(read).toEqual({ status: 'fulfilled', value: 'c' });
  });

  it('an error line in a multi-key get fails the keys still unanswered, never as misses', async () => {
    const client = await textServer();
    const error = await client.getMulti(['a', 'b', 'c']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchError);
    const batch = error as BatchError<Map<string, unknown>>;
    expect(batch.results).toEqual(new Map([['a', 'a']]));
    expect([...batch.errors.keys()].sort()).toEqual(['b', 'c']);
  });
});
