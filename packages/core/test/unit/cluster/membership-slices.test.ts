import { afterEach, expect, it } from 'vitest';
import { Client } from '../../../src/index.ts';

/**
 * A fleet's membership change builds its new ring in slices: the event loop turns while it is
 * built (requests keep flowing on the old ring), and changes asked for meanwhile apply in order.
 * No connection is made: the servers are only named.
 */
const fleet = (size: number, port: number): string[] =>
  Array.from({ length: size }, (_, i) => `127.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}:${port}`);

let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

it('the event loop turns while setServers builds a 5,000-server ring, and sees the old ring until the new one is whole', async () => {
  client = new Client(fleet(2, 11211));
  const seen: number[] = [];
  let ticking = true;
  const tick = (): void => {
    if (!ticking) return;
    seen.push(client?.servers().length ?? 0);
    setImmediate(tick);
  };
  setImmediate(tick);
  const diff = await client.setServers(fleet(5_000, 11211));
  ticking = false;
  expect(diff?.added).toHaveLength(4_998);
  expect(seen.filter((count) => count === 2).length).toBeGreaterThan(1);
  expect(client.servers()).toHaveLength(5_000);
});

it('changes asked for while one is being built apply in order, each against the list the last one left', async () => {
  client = new Client(fleet(2, 11211));
  const first = client.setServers(fleet(3_000, 11211));
  const second = client.setServers(fleet(3, 11211));
  const [grown, shrunk] = await Promise.all([first, second]);
  expect(grown?.added).toHaveLength(2_998);
  expect(shrunk?.removed).toHaveLength(2_997);
  expect(client.servers().map((server) => server.name)).toEqual(fleet(3, 11211));
});
