/** memcache 1.10.0 (jaredwray): text protocol, promises. Its package requires Node 22.19 or later. */
export const memcacheJs = {
  name: 'memcache 1.10.0',
  unsupported() {
    const [major, minor] = process.versions.node.split('.').map(Number);
    return major > 22 || (major === 22 && minor >= 19) ? undefined : 'needs Node 22.19 or later (its engines field)';
  },
  async open(addresses) {
    const { Memcache } = await import('memcache');
    const client = new Memcache({ nodes: addresses });
    await client.connect();
    return {
      get: (key, done) => client.get(key).then(() => done(), done),
      set: (key, value, done) => client.set(key, value).then(() => done(), done),
      getMulti: (keys, done) => client.gets(keys).then(() => done(), done),
      close: () => client.disconnect(),
    };
  },
};
