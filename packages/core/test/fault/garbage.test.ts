import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { BatchError, Client, ProtocolError } from '../../src/index.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;
let client: Client;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());
beforeEach(async () => {
  proxy = await startFaultProxy(memcached);
  // One attempt per request, so each sees the garbage; the server is probed again at once.
  client = new Client(proxy.address, { socketTimeout: 2, socketMaxFailures: 1, downRetryDelay: 0 });
  await client.set('k', 'v');
});
afterEach(async () => {
  await client.close();
  await proxy.close();
});

function header(fields: { magic?: number; opcode?: number; bodyLength?: number; opaque?: number }): Buffer {
  const frame = Buffer.alloc(24);
  frame[0] = fields.magic ?? 0x81;
  frame[1] = fields.opcode ?? 0x00;
  frame.writeUInt32BE(fields.bodyLength ?? 0, 8);
  frame.writeUInt32BE(fields.opaque ?? 0, 12);
  return frame;
}

/** Holds the real replies back, sends `garbage` instead, and returns what the pending requests got. */
async function afterGarbage(garbage: Buffer): Promise<PromiseSettledResult<unknown>[]> {
  proxy.set({ blackhole: true });
  const pending = [client.get('k'), client.get('k'), client.set('k', 'w')];
  await expect.poll(() => proxy.connections).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  proxy.inject(garbage);
  const results = await Promise.allSettled(pending);
  proxy.heal();
  return results;
}

const cases: [string, Buffer, RegExp][] = [
  ['a bad magic byte', header({ magic: 0x42 }), /bad magic byte 0x42/],
  ['an ASCII ERROR line', Buffer.from('ERROR\r\n'), /bad magic byte 0x45.*set protocol: 'meta' or 'text'/],
  ['a body length of 2^31', header({ bodyLength: 2 ** 31 }), /body length 2147483648 is more than any memcached item/],
  ['an unknown opaque', header({ opaque: 0xfffffff0 }), /reply with opaque 4294967280/],
  // The connection's greeting NOOP was opaque 1 and the set in beforeEach opaque 2; the first
  // pending get is opaque 3.
  ['a reply to a request that is not the oldest', header({ opaque: 4 }), /arrived before the reply to opaque 3/],
  [
    'a reply with the right opaque and the wrong opcode',
    header({ opcode: 0x10, opaque: 3 }),
    /opcode 0x10 does not match/,
  ],
];

it.each(cases)('fails the pending requests with a ProtocolError on %s, then recovers', async (_, garbage, message) => {
  const arrayBuffersBefore = process.memoryUsage().arrayBuffers;
  const results = await afterGarbage(garbage);
  for (const result of results) {
    expect(result.status).toBe('rejected');
    const reason = (result as PromiseRejectedResult).reason;
    expect(reason).toBeInstanceOf(ProtocolError);
    expect(reason.message).toMatch(message);
    expect(reason.message).toContain(proxy.address);
  }
  // Nothing sized by the bogus length was allocated.
  expect(process.memoryUsage().arrayBuffers - arrayBuffersBefore).toBeLessThan(64 * 1024 * 1024);
  // A fresh connection serves the next request; the broken one was never reused.
  expect(await client.get('k')).toBe('v');
  expect(proxy.accepted).toBe(2);
});

it('never reports quiet writes as done when garbage follows them', async () => {
  proxy.set({ blackhole: true });
  const pending = client.setMulti({ q1: 1, q2: 2, q3: 3 });
  await expect.poll(() => proxy.connections).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  proxy.inject(header({ opaque: 0xfffffff0 }));
  const error = await pending.catch((e: unknown) => e);
  proxy.heal();
  expect(error).toBeInstanceOf(BatchError);
  expect((error as BatchError<Map<string, boolean>>).results.size).toBe(0);
  expect((error as BatchError).cause).toBeInstanceOf(ProtocolError);
  expect(await client.getMulti(['q1', 'q2', 'q3'])).toEqual(new Map());
});

it('retries reads transparently once the garbage is gone, but never a write it sent', async () => {
  const retrying = new Client(proxy.address, { socketTimeout: 2, socketFailureDelay: 0.05 });
  await retrying.set('k', 'v');
  proxy.set({ blackhole: true });
  const read = retrying.get('k');
  const write = retrying.set('k', 'w');
  await expect.poll(() => proxy.connections).toBe(2);
  await new Promise((resolve) => setTimeout(resolve, 20));
  proxy.inject(header({ magic: 0x42 }));
  proxy.heal();
  await expect(write).rejects.toBeInstanceOf(ProtocolError);
  expect(await read).toBe('v');
  await retrying.close();
});
