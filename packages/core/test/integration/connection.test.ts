import { type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionError } from '../../src/errors.ts';
import { Opcode, type ResponseFrame, responseKey, responseText } from '../../src/protocol/index.ts';
import { Connection } from '../../src/transport/connection.ts';
import { exchange, getExchange, setExchange } from '../support/exchanges.ts';

let memcached: MemcachedProcess;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

function connect(port = memcached.port): Connection {
  return new Connection({
    server: `127.0.0.1:${port}`,
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
    const quiet = [setExchange('q:1', 'a', Opcode.setq), setExchange('q:2', 'b', Opcode.setq)];
    const get = getExchange('q:2');
    for (const ex of [...quiet, get]) connection.send(ex);
    expect(await Promise.all(quiet.map((ex) => ex.promise))).toEqual([true, true]);
    expect(await get.promise).toBe('b');
    await connection.close();
  });

  it('follows a write that ends with a quiet request by a NOOP, so the quiet request settles', async () => {
    const connection = connect();
    const lone = setExchange('q:lone', 'x', Opcode.setq);
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
    const quietAdd = setExchange('q:exists', 'second', Opcode.addq);
    const get = getExchange('q:exists');
    connection.send(quietAdd);
    connection.send(get);
    expect(await quietAdd.promise).toBe(false);
    expect(await get.promise).toBe('first');
    await connection.close();
  });

  it('collects a multi-frame STAT reply until its empty terminator', async () => {
    const connection = connect();
    const frames: ResponseFrame[] = [];
    const stats = exchange({ opcode: Opcode.stat }, () => undefined);
    stats.onResponse = (frame) => {
      frames.push(frame);
      return frame.keyLength === 0;
    };
    connection.send(stats);
    const version = exchange({ opcode: Opcode.version }, (frame) => responseText(frame));
    connection.send(version);
    expect(await version.promise).toMatch(/^\d+\.\d+/);
    const names = frames.map((frame) => responseKey(frame).toString());
    expect(names).toContain('pid');
    expect(names.at(-1)).toBe('');
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
      await expect(ex.promise).rejects.toMatchObject({ code: 'ERR_DALLI_CONNECTION', operation: 'test' });
    }
    expect(connection.usable).toBe(false);
  });
});
