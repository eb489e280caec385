import Memcached from 'memcached';

/** memcached 2.2.2 (3rd-Eden): text protocol, callback API, its default connection pool. */
export const memcachedClient = {
  name: 'memcached 2.2.2',
  async open(addresses) {
    // Its defaults (a pool of 10 connections, with retries to get one): with fewer it fails under load.
    const client = new Memcached(addresses);
    return {
      get: (key, done) => client.get(key, (error) => done(error ?? undefined)),
      set: (key, value, done) => client.set(key, value, 0, (error) => done(error ?? undefined)),
      getMulti: (keys, done) => client.getMulti(keys, (error) => done(error ?? undefined)),
      close: async () => client.end(),
    };
  },
};
