import { type MemcachedProcess, startMemcached } from './memcached.ts';

/** memcached servers for an example or a demo, and how to let go of them. */
export interface LocalServers {
  /** Addresses for a client: `127.0.0.1:port`. */
  readonly servers: readonly string[];
  /** The processes started here; empty when `MEMCACHE_SERVERS` named the servers. */
  readonly processes: readonly MemcachedProcess[];
  /** Where the servers came from, for the example to print. */
  readonly origin: string;
  /** Stops the processes started here; servers from `MEMCACHE_SERVERS` are left alone. */
  stop(): Promise<void>;
}

/**
 * The servers in `MEMCACHE_SERVERS` when it is set, so an example can run against a real cluster;
 * otherwise `count` local memcached processes on free 127.0.0.1 ports, started now.
 */
export async function localServers(count = 1): Promise<LocalServers> {
  const fromEnvironment = process.env.MEMCACHE_SERVERS;
  if (fromEnvironment !== undefined && fromEnvironment.trim() !== '') {
    const servers = fromEnvironment.split(',').map((server) => server.trim());
    return { servers, processes: [], origin: 'MEMCACHE_SERVERS', stop: async () => {} };
  }
  const processes = await Promise.all(Array.from({ length: count }, () => startMemcached()));
  return {
    servers: processes.map((server) => server.address),
    processes,
    origin: `local memcached ${processes.map((server) => `pid ${server.pid}`).join(', ')}`,
    stop: async () => {
      await Promise.all(processes.map((server) => server.stop()));
    },
  };
}
