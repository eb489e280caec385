import { describe, expect, it } from 'vitest';
import { BatchError, Client, ReplyTooLargeError } from '../../src/index.ts';
import { memcachedClient } from '../support/memcached-client.ts';

const suite = memcachedClient('text', { proxy: true });

/** The request lines the client sent, by command word. */
function sentCommands(): string[] {
  const sent = Buffer.concat(
    suite.proxy.transcript.filter((entry) => entry.from === 'client').map((entry) => entry.bytes),
  );
  return sent
    .toString('utf8')
    .split('\r\n')
    .filter((line) => /^[a-z]+ /.test(line))
    .map((line) => line.split(' ')[0] as string);
}

describe('getMulti in the text protocol', () => {
  it('asks for up to 100 keys per get line and maps every value to its key', async () => {
    const keys = Array.from({ length: 250 }, (_, i) => `tm:${i}`);
    await suite.client.setMulti(keys.filter((_, i) => i % 3 === 0).map((key) => [key, key] as const));
    suite.proxy.transcript.length = 0;
    const found = await suite.client.getMulti([...keys, 'tm:0']);
    expect(found).toEqual(new Map(keys.filter((_, i) => i % 3 === 0).map((key) => [key, key])));
    expect(sentCommands()).toEqual(['get', 'get', 'get']);
  });
});

describe('a value over valueMaxBytes in a text multi-get', () => {
  it('fails its own key only; the other keys of the line are read', async () => {
    const small = new Client(suite.proxy.address, { protocol: 'text', valueMaxBytes: 1_000, compress: false });
    await suite.client.set('tm:big', 'x'.repeat(5_000), 0, { raw: true, compress: false });
    await suite.client.setMulti([
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
