import { expect, it } from 'vitest';
import { memcachedClient } from '../support/memcached-client.ts';

const suite = memcachedClient('text', { proxy: true });

/** The multi-key get lines the client sent. */
function getLines(): string[] {
  const sent = Buffer.concat(
    suite.proxy.transcript.filter((entry) => entry.from === 'client').map((entry) => entry.bytes),
  );
  return sent
    .toString('latin1')
    .split('\r\n')
    .filter((line) => /^gets? /.test(line));
}

it('keeps every text get line within 16 KB (ElastiCache Serverless refuses longer lines), 100 long keys included', async () => {
  const keys = Array.from({ length: 100 }, (_, i) => `${String(i).padStart(3, '0')}${'k'.repeat(247)}`);
  await suite.client.setMulti(keys.map((key) => [key, key.slice(0, 3)] as const));
  suite.proxy.transcript.length = 0;
  const found = await suite.client.getMulti(keys);
  expect(found.size).toBe(100);
  for (const key of keys) expect(found.get(key)).toBe(key.slice(0, 3));
  const lines = getLines();
  expect(lines.length).toBe(2);
  for (const line of lines) expect(Buffer.byteLength(line) + 2).toBeLessThanOrEqual(16_384);
  expect(lines.flatMap((line) => line.split(' ').slice(1))).toEqual(keys);
});
