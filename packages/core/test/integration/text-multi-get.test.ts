import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;
let client: Client;

beforeAll(async () => {
  memcached = await startMemcached();
  proxy = await startFaultProxy(memcached);
  client = new Client(proxy.address, { protocol: 'text' });
});
afterAll(async () => {
  await client.close();
  await proxy.close();
  await memcached.stop();
});

/** The request lines the client sent, by command word. */
function sentCommands(): string[] {
  const sent = Buffer.concat(proxy.transcript.filter((entry) => entry.from === 'client').map((entry) => entry.bytes));
  return sent
    .toString('utf8')
    .split('\r\n')
    .filter((line) => /^[a-z]+ /.test(line))
    .map((line) => line.split(' ')[0] as string);
}

describe('getMulti in the text protocol', () => {
  it('asks for up to 100 keys per get line and maps every value to its key', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => `tm:${i}`);
    await client.setMulti(keys.filter((_, i) => i % 3 === 0).map((key) => [key, key] as const));
    proxy.transcript.length = 0;
    const found = await client.getMulti([...keys, 'tm:0']);
    expect(found).toEqual(new Map(keys.filter((_, i) => i % 3 === 0).map((key) => [key, key])));
    expect(sentCommands()).toEqual(['get', 'get', 'get']);
  });
});
