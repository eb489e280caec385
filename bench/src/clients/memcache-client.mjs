import { MemcacheClient } from 'memcache-client';

/** memcache-client 1.0.5 (Electrode): text protocol, promises. */
export const memcacheClient = {
  name: 'memcache-client 1.0.5',
  async open(addresses) {
    const client = new MemcacheClient({
      server: { servers: addresses.map((server) => ({ server, maxConnections: 1 })) },
    });
    return {
      get: (key, done) => client.get(key).then(() => done(), done),
      set: (key, value, done) => client.set(key, value).then(() => done(), done),
      getMulti: (keys, done) => client.get(keys).then(() => done(), done),
      close: async () => client.shutdown(),
    };
  },
};
