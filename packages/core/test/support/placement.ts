import { Client } from '../../src/index.ts';
import { NAMESPACE, valueFor } from './migration-keys.ts';

/**
 * Where a peer put each key, as the client names servers: every server is read directly (one client per server, no ring) and
 * the key's value must be its own. A key found on no server, or on two, fails the test here.
 */
export async function placementOnServers(addresses: readonly string[], keys: readonly string[]): Promise<string[]> {
  const found = new Map<string, string>();
  for (const address of addresses) {
    const direct = new Client(address);
    const name = direct.servers()[0]?.name ?? address;
    try {
      const values = await direct.getMulti(keys);
      for (const [key, value] of values) {
        if (String(value) !== valueFor(key)) throw new Error(`${key} holds another value on ${name}`);
        if (found.has(key)) throw new Error(`${key} is on ${found.get(key)} and ${name}`);
        found.set(key, name);
      }
    } finally {
      await direct.close();
    }
  }
  return keys.map((key) => {
    const address = found.get(key);
    if (address === undefined) throw new Error(`the peer stored ${key} on no server`);
    return address;
  });
}

/** Empties every server, so one placement's keys never count for the next. */
export async function flushAll(addresses: readonly string[]): Promise<void> {
  const client = new Client([...addresses]);
  try {
    await client.flush();
  } finally {
    await client.close();
  }
}

/** Our placement of `keys` (namespaced ones through a client with `namespace`), as server addresses. */
export function ourPlacement(servers: readonly string[], options: object, keys: readonly string[]): string[] {
  const plain = new Client([...servers], options);
  const namespaced = new Client([...servers], { ...options, namespace: NAMESPACE });
  const prefix = `${NAMESPACE}:`;
  const placement = keys.map((key) =>
    key.startsWith(prefix) ? namespaced.locate(key.slice(prefix.length)).server : plain.locate(key).server,
  );
  void plain.close();
  void namespaced.close();
  return placement;
}

/** Reads every key back through a client with `options` (namespaced ones through `namespace`): the keys it misses or misreads. */
export async function unreadable(
  servers: readonly string[],
  options: object,
  keys: readonly string[],
): Promise<string[]> {
  const prefix = `${NAMESPACE}:`;
  const plain = new Client([...servers], options);
  const namespaced = new Client([...servers], { ...options, namespace: NAMESPACE });
  try {
    const bare = keys.filter((key) => !key.startsWith(prefix));
    const inside = keys.filter((key) => key.startsWith(prefix)).map((key) => key.slice(prefix.length));
    const [read, readInside] = await Promise.all([plain.getMulti(bare), namespaced.getMulti(inside)]);
    return [
      ...bare.filter((key) => String(read.get(key)) !== valueFor(key)),
      ...inside.filter((key) => String(readInside.get(key)) !== valueFor(`${prefix}${key}`)).map((key) => prefix + key),
    ];
  } finally {
    await Promise.all([plain.close(), namespaced.close()]);
  }
}

/** Fraction of keys whose server differs between two placements. */
export function movedFraction(before: readonly string[], after: readonly string[]): number {
  return before.filter((server, i) => server !== after[i]).length / before.length;
}

/**
 * Bounds a 4th-server test: writing 100,000 keys through a peer twice and reading every server
 * back takes a while when the suite runs in parallel on two cores. It bounds, it measures nothing.
 */
export const MOVE_TEST_TIMEOUT_MS = 180_000;

/**
 * Fractions of the keys that move when a 4th server joins 3, by our placement (`oursOn(count)`)
 * and by the peer's (`peerPlaces(count)` writes the keys through the peer onto `count` servers and
 * returns where they landed). Both are printed, so a run shows the figures. The share varies with
 * the servers' random ports (they name the points): about 2 points of σ for 160 points per server,
 * so tests allow 7 points around 1/4, and require the peer's figure exactly.
 */
export async function movesOnFourthServer(
  label: string,
  peerPlaces: (count: number) => Promise<string[]>,
  oursOn: (count: number) => string[],
): Promise<{ ours: number; peer: number }> {
  const peer = movedFraction(await peerPlaces(3), await peerPlaces(4));
  const ours = movedFraction(oursOn(3), oursOn(4));
  console.info(`${label}: ${(ours * 100).toFixed(2)}% of keys moved (peer: ${(peer * 100).toFixed(2)}%)`);
  return { ours, peer };
}
