import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';

let memcached: MemcachedProcess;
let proxy: FaultProxy;

beforeAll(async () => {
  memcached = await startMemcached();
  proxy = await startFaultProxy(memcached);
});
afterAll(async () => {
  await proxy.close();
  await memcached.stop();
});

/** The request lines the client sent since the transcript was cleared. */
function sentLines(): string[] {
  const sent = Buffer.concat(proxy.transcript.filter((entry) => entry.from === 'client').map((entry) => entry.bytes));
  return sent
    .toString('utf8')
    .split('\r\n')
    .filter((line) => /^[a-z]+ /.test(line));
}

async function clientWith(coalesceGets: boolean | undefined): Promise<Client> {
  const client = new Client(proxy.address, { protocol: 'text', coalesceGets });
  await client.set('tc:a', 'value a');
  await client.set('tc:b', 'value b');
  proxy.transcript.length = 0;
  return client;
}

describe('single gets in the text protocol', () => {
  it('leave as one get line when issued in the same tick, each caller getting its own value or miss', async () => {
    const client = await clientWith(undefined);
    const results = await Promise.all(['tc:a', 'tc:missing', 'tc:b', 'tc:a'].map((key) => client.get(key)));
    expect(results).toEqual(['value a', undefined, 'value b', 'value a']);
    expect(sentLines()).toEqual(['get tc:a tc:missing tc:b tc:a']);
    await client.close();
  });

  it('leave in lines of at most 25 keys, so memcached answers one while the client reads another', async () => {
    const client = await clientWith(undefined);
    const keys = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 'tc:a' : `tc:none:${i}`));
    const results = await Promise.all(keys.map((key) => client.get(key)));
    expect(results).toEqual(keys.map((key) => (key === 'tc:a' ? 'value a' : undefined)));
    expect(sentLines().map((line) => line.split(' ').length - 1)).toEqual([25, 25, 10]);
    await client.close();
  });

  it('leave one line per get with coalesceGets false, and a get alone in its tick goes as it is', async () => {
    const apart = await clientWith(false);
    expect(await Promise.all([apart.get('tc:a'), apart.get('tc:b')])).toEqual(['value a', 'value b']);
    expect(sentLines()).toEqual(['get tc:a', 'get tc:b']);
    await apart.close();
    const alone = await clientWith(true);
    expect(await alone.get('tc:b')).toBe('value b');
    expect(sentLines()).toEqual(['get tc:b']);
    await alone.close();
  });

  it('leave alone when they carry a timeout of their own, or are gets, gats or multi-gets', async () => {
    const client = await clientWith(true);
    await Promise.all([
      client.get('tc:a', { timeout: 0.5 }),
      client.get('tc:b', { timeout: 0.5 }),
      client.gets('tc:a'),
    ]);
    expect(sentLines()).toEqual(['get tc:a', 'get tc:b', 'gets tc:a']);
    await client.close();
  });

  it('do not send a get aborted before its tick ended', async () => {
    const client = await clientWith(true);
    const controller = new AbortController();
    const aborted = client.get('tc:a', { signal: controller.signal });
    const kept = client.get('tc:b');
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(await kept).toBe('value b');
    expect(sentLines()).toEqual(['get tc:b']);
    await client.close();
  });
});
