import { afterEach, expect, it } from 'vitest';
import type { Distribution } from '../../../src/cluster/rings/build-ring.ts';
import { Client, InvalidArgumentError } from '../../../src/index.ts';

/**
 * A fleet of plain host:port entries (more than 100) is only checked by the constructor; its
 * servers are made, and its ring built, in slices after it returns. No connection is made: the
 * servers are only named.
 */
const fleet = (size: number): string[] =>
  Array.from({ length: size }, (_, i) => `127.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}:${11211 + (i % 3)}`);

/** The same fleet with weights 1 to 4 (`host:port:weight`). */
const weighted = (size: number): string[] => fleet(size).map((entry, i) => `${entry}:${1 + (i % 4)}`);

const clients: Client[] = [];
function client(servers: string | string[], distribution?: Distribution): Client {
  const made = new Client(servers, distribution === undefined ? {} : { distribution });
  clients.push(made);
  return made;
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((made) => made.close()));
});

/** Makes a client of `servers` and waits until its fleet and ring are made; counts the event loop's turns meanwhile. */
async function madeInSlices(servers: string[]): Promise<{ target: Client; turns: number }> {
  let turns = 0;
  let ticking = true;
  const tick = (): void => {
    turns++;
    if (ticking) setImmediate(tick);
  };
  setImmediate(tick);
  const target = client(servers);
  // Resolves once the fleet is made and its ring built: the same list is no change.
  expect(await target.setServers(servers)).toBeUndefined();
  ticking = false;
  return { target, turns };
}

/** The keys `servers` made in slices places elsewhere than the same list read at once (a comma-separated string). */
async function misplaced(servers: string[], distribution: Distribution): Promise<string[]> {
  const inSlices = client(servers, distribution);
  await inSlices.setServers(servers);
  // One comma-separated string is not a plain list: read, made and placed in the constructor.
  const atOnce = client(servers.join(','), distribution);
  const keys = Array.from({ length: 2_000 }, (_, i) => `key:${i}`);
  return keys.filter((key) => inSlices.locate(key).server !== atOnce.locate(key).server);
}

it('the event loop turns while a 3,000-server fleet is made, and the servers are then the list, in order', async () => {
  const servers = fleet(3_000);
  const { target, turns } = await madeInSlices(servers);
  expect(turns).toBeGreaterThan(1);
  expect(target.servers().map((state) => state.name)).toEqual(servers);
});

it('servers() and locate() right after the constructor see the whole fleet', () => {
  const servers = fleet(500);
  const target = client(servers);
  expect(target.servers().map((state) => state.name)).toEqual(servers);
  expect(servers).toContain(target.locate('k').server);
});

it.each<Distribution>(['dalli', 'ketama', 'libmemcached-consistent', 'twemproxy', 'node-memcached', 'memjs'])(
  '%s: a fleet made in slices places every key as the same list read at once does',
  async (distribution) => {
    expect(await misplaced(fleet(400), distribution)).toEqual([]);
  },
);

it('a bad entry anywhere in a fleet throws from the constructor', () => {
  for (const bad of ['127.0.0.1:0', '127.0.0.1:99999', 'my host:11211', '']) {
    const servers = [...fleet(2_000), bad];
    expect(() => client(servers)).toThrow(InvalidArgumentError);
  }
});

it("twemproxy server names that do not match a fleet's count throw from the constructor", () => {
  const distribution: Distribution = { name: 'twemproxy', serverNames: ['a', 'b'] };
  expect(() => client(fleet(300), distribution)).toThrow(/2 names for 300 servers/);
});

it('setServers with a plain fleet naming a server twice is refused before anything changes', async () => {
  const target = client(fleet(200));
  await expect(target.setServers([...fleet(300), fleet(300)[7] as string])).rejects.toThrow(/twice/);
  expect(target.servers()).toHaveLength(200);
});

it('a weighted fleet (host:port:weight) takes the sliced path: servers named host:port with their weights, the loop turning meanwhile', async () => {
  const servers = weighted(3_000);
  const { target, turns } = await madeInSlices(servers);
  expect(turns).toBeGreaterThan(1);
  expect(target.servers().map((state) => state.name)).toEqual(fleet(3_000));
  expect(target.servers().map((state) => state.weight)).toEqual(servers.map((_, i) => 1 + (i % 4)));
});

it.each<Distribution>(['dalli', 'ketama', 'libmemcached-consistent', 'twemproxy', 'node-memcached'])(
  '%s: a weighted fleet made in slices places every key as the same list read at once does',
  async (distribution) => {
    expect(await misplaced(weighted(400), distribution)).toEqual([]);
  },
);

it('memjs, which has no weights, refuses a weighted fleet from the constructor', () => {
  expect(() => client(weighted(300), 'memjs')).toThrow(/memjs has no server weights/);
});
