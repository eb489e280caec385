import { connect } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { itemTtl, type MemcachedProcess, startMemcached } from '../src/index.ts';

let memcached: MemcachedProcess;
beforeAll(async () => {
  memcached = await startMemcached();
});
afterAll(() => memcached.stop());

/** Stores items with the text protocol, independent of the code under test. */
function store(commands: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(memcached.port, memcached.host, () => socket.write(commands));
    let replies = '';
    socket.on('data', (chunk) => {
      replies += chunk.toString();
      if (replies.split('STORED').length - 1 === commands.split('set ').length - 1) {
        socket.destroy();
        resolve();
      }
    });
    socket.on('error', reject);
  });
}

it('reads the remaining TTL of an item, -1 for no expiry, undefined when absent', async () => {
  await store('set ttl100 0 100 1\r\nx\r\nset forever 0 0 1\r\nx\r\n');
  expect(await itemTtl(memcached.address, 'ttl100')).toBeGreaterThanOrEqual(99);
  expect(await itemTtl(memcached.address, 'ttl100')).toBeLessThanOrEqual(100);
  expect(await itemTtl(memcached.address, 'forever')).toBe(-1);
  expect(await itemTtl(memcached.address, 'absent')).toBeUndefined();
});
