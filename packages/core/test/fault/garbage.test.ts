import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { Client, ProtocolError } from '../../src/index.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;
let client: Client;

beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());
beforeEach(async () => {
  proxy = await startFaultProxy(memcached);
  client = new Client(proxy.address, { socketTimeout: 2 });
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
  ['an ASCII ERROR line', Buffer.from('ERROR\r\n'), /bad magic byte 0x45/],
  ['a body length of 2^31', header({ bodyLength: 2 ** 31 }), /body length 2147483648 exceeds/],
  ['an unknown opaque', header({ opaque: 0xfffffff0 }), /matches no request in flight|arrived before the reply/],
  ['a reply to an opcode nobody sent', header({ opcode: 0x10, opaque: 1 }), /opaque|opcode/],
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
