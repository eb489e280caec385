import { startFaultProxy, startMemcached } from '@dalli/test-utils';
import { describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  it('makes a second close() wait for the same drain as the first: in-flight requests finish first', async () => {
    const memcached = await startMemcached();
    const proxy = await startFaultProxy(memcached);
    const client = new Client(proxy.address, { protocol });
    await client.set('k', 'v');
    proxy.set({ replyDelay: 150 });
    let answered = false;
    const pending = client.get('k').then((value) => {
      answered = true;
      return value;
    });
    await expect.poll(() => proxy.clientChunks).toBe(2);
    void client.close();
    await client.close();
    expect(answered).toBe(true);
    expect(await pending).toBe('v');
    await proxy.close();
    await memcached.stop();
  });
});
