import { Client } from '../../src/index.ts';

/**
 * Where keys really are: asks each server on its own connection (a one-server client, no ring) and
 * returns, per key, the value each server holds. Keys are wire keys (no namespace in these tests).
 */
export async function valuesOnServers(
  servers: readonly string[],
  keys: readonly string[],
  options: ConstructorParameters<typeof Client>[1] = {},
): Promise<Map<string, Map<string, unknown>>> {
  const found = new Map<string, Map<string, unknown>>(keys.map((key) => [key, new Map()]));
  for (const server of servers) {
    const direct = new Client(server, options);
    try {
      const values = await direct.getMulti(keys);
      for (const [key, value] of values) found.get(key)?.set(server, value);
    } finally {
      await direct.close();
    }
  }
  return found;
}

/** The one server holding `value` for each key (throws if none or several do). */
export function serverHolding(found: Map<string, Map<string, unknown>>, value: unknown): Map<string, string> {
  const holders = new Map<string, string>();
  for (const [key, byServer] of found) {
    const servers = [...byServer].filter(([, held]) => held === value).map(([server]) => server);
    if (servers.length !== 1) throw new Error(`${key} holds ${String(value)} on ${servers.length} servers`);
    holders.set(key, servers[0] as string);
  }
  return holders;
}
