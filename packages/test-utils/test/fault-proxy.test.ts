import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '../src/index.ts';

const versionRequest = Buffer.from([0x80, 0x0b, ...new Array(22).fill(0)]);

let memcached: MemcachedProcess;
let proxy: FaultProxy;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());
afterEach(() => proxy?.close());

/** Connects through the proxy, sends VERSION `count` times and records what comes back. */
function exchange(count: number): Promise<{ chunks: Buffer[]; ended: 'end' | 'reset' | 'open' }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket: Socket = connect(proxy.port, '127.0.0.1', () => {
      socket.write(Buffer.concat(new Array(count).fill(versionRequest)));
    });
    const finish = (ended: 'end' | 'reset' | 'open'): void => {
      socket.destroy();
      resolve({ chunks, ended });
    };
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => finish('end'));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ECONNRESET' ? 'reset' : 'end'));
    setTimeout(() => finish('open'), 400);
  });
}

const replyLength = (): Promise<number> => exchange(1).then(({ chunks }) => Buffer.concat(chunks).length);

describe('FaultProxy', () => {
  it('forwards traffic unchanged by default', async () => {
    proxy = await startFaultProxy(memcached);
    const { chunks } = await exchange(3);
    const bytes = Buffer.concat(chunks);
    expect(bytes[0]).toBe(0x81);
    expect(bytes.length).toBe(3 * (await replyLength()));
  });

  it('delays replies', async () => {
    proxy = await startFaultProxy(memcached);
    proxy.set({ replyDelay: 150 });
    const started = Date.now();
    const { chunks } = await exchange(1);
    expect(chunks.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('splits replies into writes of at most N bytes', async () => {
    proxy = await startFaultProxy(memcached);
    proxy.set({ splitReplies: 5 });
    const { chunks } = await exchange(2);
    expect(chunks.length).toBeGreaterThan(2);
    expect(Math.max(...chunks.map((chunk) => chunk.length))).toBeLessThan(24);
    expect(Buffer.concat(chunks).length).toBe(2 * (await replyLength()));
  });

  it('merges replies that arrive close together into one write', async () => {
    proxy = await startFaultProxy(memcached);
    proxy.set({ mergeReplies: 50 });
    const { chunks } = await exchange(20);
    expect(chunks.length).toBe(1);
  });

  it('truncates replies after N bytes and then ends, resets or stalls', async () => {
    proxy = await startFaultProxy(memcached);
    for (const action of ['end', 'reset', 'stall'] as const) {
      proxy.set({ truncateRepliesAfter: 10, truncateAction: action });
      const { chunks, ended } = await exchange(2);
      expect(Buffer.concat(chunks).length).toBe(10);
      expect(ended).toBe(action === 'stall' ? 'open' : action);
    }
  });

  it('swallows everything when blackholed, without closing', async () => {
    proxy = await startFaultProxy(memcached);
    proxy.set({ blackhole: true });
    const { chunks, ended } = await exchange(1);
    expect(chunks).toEqual([]);
    expect(ended).toBe('open');
  });

  it('injects bytes of its own and resets every connection on demand', async () => {
    proxy = await startFaultProxy(memcached);
    proxy.set({ blackhole: true });
    const pending = exchange(1);
    await expect.poll(() => proxy.connections).toBe(1);
    proxy.inject(Buffer.from('ERROR\r\n'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    proxy.resetAll();
    const { chunks, ended } = await pending;
    expect(Buffer.concat(chunks).toString()).toBe('ERROR\r\n');
    expect(ended).toBe('reset');
  });

  it('counts accepted connections and client chunks', async () => {
    proxy = await startFaultProxy(memcached);
    await exchange(1);
    await exchange(1);
    expect(proxy.accepted).toBe(2);
    expect(proxy.clientChunks).toBe(2);
  });
});
