import { type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATS, VERSION } from '../../src/commands/server-commands.ts';
import { SET } from '../../src/commands/writes.ts';
import { ConnectionError } from '../../src/errors.ts';
import { binaryProtocol } from '../../src/protocol/binary/index.ts';
import { Op } from '../../src/protocol/command.ts';
import { Connection } from '../../src/transport/connection.ts';
import { exchange, getExchange, QuietWrite, setExchange } from '../support/exchanges.ts';

let memcached: MemcachedProcess;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

function connect(port = memcached.port): Connection {
  return new Connection({
    server: `127.0.0.1:${port}`,
    protocol: binaryProtocol,
    address: { host: '127.0.0.1', port },
    timeout: 2_000,
    maxBodyLength: 1 << 20,
  });
}

describe('Connection against real memcached', () => {
  it('sends the requests issued in one tick in a single write and matches every reply', async () => {
    const proxy = await startFaultProxy(memcached);
    const connection = connect(proxy.port);
    const warmUp = setExchange('warm', 'up');
    connection.send(warmUp);
    await warmUp.promise;
    const writesBefore = connection.writes;
    const chunksBefore = proxy.clientChunks;
    const sets = Array.from({ length: 100 }, (_, i) => setExchange(`pipelined:${i}`, `value ${i}`));
    for (const ex of sets) connection.send(ex);
    expect(await Promise.all(sets.map((ex) => ex.promise))).toEqual(new Array(100).fill(true));
    const gets = Array.from({ length: 100 }, (_, i) => getExchange(`pipelined:${i}`));
    for (const ex of gets) connection.send(ex);
    const values = await Promise.all(gets.map((ex) => ex.promise));
    expect(values).toEqual(Array.from({ length: 100 }, (_, i) => `value ${i}`));
    expect(connection.writes - writesBefore).toBe(2);
    expect(proxy.clientChunks - chunksBefore).toBe(2);
    await connection.close();
    await proxy.close();
  });

  it('settles quiet requests when a later reply passes them over', async () => {
    const connection = connect();
    const quiet = [new QuietWrite(Op.set, 'q:1', 'a'), new QuietWrite(Op.set, 'q:2', 'b')];
    const get = getExchange('q:2');
    for (const ex of [...quiet, get]) connection.send(ex);
    expect(await Promise.all(quiet.map((ex) => ex.promise))).toEqual([true, true]);
    expect(await get.promise).toBe('b');
    await connection.close();
  });

  it('follows a write that ends with a quiet request by a NOOP, so the quiet request settles', async () => {
    const connection = connect();
    const lone = new QuietWrite(Op.set, 'q:lone', 'x');
    connection.send(lone);
    expect(await lone.promise).toBe(true);
    const check = getExchange('q:lone');
    connection.send(check);
    expect(await check.promise).toBe('x');
    await connection.close();
  });

  it('delivers a quiet request error reply to that request only', async () => {
    const connection = connect();
    const add = setExchange('q:exists', 'first');
    connection.send(add);
    await add.promise;
    const quietAdd = new QuietWrite(Op.add, 'q:exists', 'second');
    const get = getExchange('q:exists');
    connection.send(quietAdd);
    connection.send(get);
    expect(await quietAdd.promise).toBe(false);
    expect(await get.promise).toBe('first');
    await connection.close();
  });

  it('collects a multi-frame STAT reply until its empty terminator', async () => {
    const connection = connect();
    const stats = exchange(STATS, { op: Op.stats });
    connection.send(stats);
    const version = exchange(VERSION, { op: Op.version });
    connection.send(version);
    expect(await version.promise).toMatch(/^\d+\.\d+/);
    const collected = await stats.promise;
    expect(Number(collected.pid)).toBe(memcached.pid);
    expect(Object.keys(collected).length).toBeGreaterThan(20);
    await connection.close();
  });

  it('keeps in step when a STAT request is aborted mid-reply', async () => {
    const connection = connect();
    const controller = new AbortController();
    const stats = exchange(STATS, { op: Op.stats }, { signal: controller.signal });
    connection.send(stats);
    controller.abort();
    const neighbour = getExchange('after-stats');
    connection.send(neighbour);
    await expect(stats.promise).rejects.toMatchObject({ name: 'AbortError' });
    expect(await neighbour.promise).toBeUndefined();
    expect(connection.usable).toBe(true);
    await connection.close();
  });

  it('fails only the request whose reply is over the size limit, skipping its body', async () => {
    const connection = connect();
    const big = setExchange('too-big', 'x'.repeat(5000));
    connection.send(big);
    await big.promise;
    const small = new Connection({
      server: 'small',
      protocol: binaryProtocol,
      address: { host: '127.0.0.1', port: memcached.port },
      timeout: 2_000,
      maxBodyLength: 1000,
    });
    const before = getExchange('never-set-before-oversized');
    const oversized = getExchange('too-big');
    const after = setExchange('fine', 'ok');
    for (const ex of [before, oversized, after]) small.send(ex);
    expect(await before.promise).toBeUndefined();
    await expect(oversized.promise).rejects.toThrow(/over the 1000-byte limit set by valueMaxBytes/);
    expect(await after.promise).toBe(true);
    expect(small.usable).toBe(true);
    await small.close();
    await connection.close();
  });

  it('fails a request that cannot be encoded, alone, without touching the stream', async () => {
    const connection = connect();
    const bad = exchange(SET, { op: Op.set, key: 'k', value: Buffer.from('1'), expiration: 2 ** 33 });
    const good = setExchange('encodable', 'yes');
    connection.send(bad);
    connection.send(good);
    await expect(bad.promise).rejects.toMatchObject({ code: 'ERR_DALLI_INVALID_ARGUMENT' });
    expect(await good.promise).toBe(true);
    await connection.close();
  });

  it('lets in-flight requests finish on close, then refuses new ones', async () => {
    const connection = connect();
    const set = setExchange('closing', 'v');
    connection.send(set);
    const closed = connection.close();
    const late = getExchange('closing');
    connection.send(late);
    await expect(late.promise).rejects.toBeInstanceOf(ConnectionError);
    expect(await set.promise).toBe(true);
    await closed;
    expect(connection.usable).toBe(false);
  });

  it('fails every request with a ConnectionError when the server refuses the connection', async () => {
    const { freePort } = await import('@dalli/test-utils');
    const connection = connect(await freePort());
    const gets = [getExchange('a'), getExchange('b')];
    for (const ex of gets) connection.send(ex);
    for (const ex of gets) {
      await expect(ex.promise).rejects.toMatchObject({ code: 'ERR_DALLI_CONNECTION', operation: 'get' });
    }
    expect(connection.usable).toBe(false);
  });
});
