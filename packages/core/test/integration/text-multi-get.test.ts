import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchError, Client, ReplyTooLargeError } from '../../src/index.ts';

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

describe('a value over valueMaxBytes in a text multi-get', () => {
  it('fails its own key only; the other keys of the line are read', async () => {
    const small = new Client(proxy.address, { protocol: 'text', valueMaxBytes: 1_000, compress: false });
    await client.set('tm:big', 'x'.repeat(5_000), 0, { raw: true, compress: false });
    await client.setMulti([
      ['tm:a', 'a'],
      ['tm:b', 'b'],
    ]);
    const error = await small.getMulti(['tm:a', 'tm:big', 'tm:b']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchError);
    const batch = error as BatchError<Map<string, unknown>>;
    expect(batch.results).toEqual(
      new Map([
        ['tm:a', 'a'],
        ['tm:b', 'b'],
      ]),
    );
    expect([...batch.errors.keys()]).toEqual(['tm:big']);
    expect(batch.errors.get('tm:big')).toBeInstanceOf(ReplyTooLargeError);
    await small.close();
  });
});
