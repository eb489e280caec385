import memjs from 'memjs';

/** memjs 1.3.2 through its callback API, its fastest path. */
export const memjsClient = {
  name: 'memjs 1.3.2',
  async open(address) {
    const client = memjs.Client.create(address, { retries: 0, timeout: 1, logger: { log() {} } });
    return {
      set: (key, value) => client.set(key, value, {}),
      get: (key, done) => client.get(key, (error) => done(error ?? undefined)),
      close: async () => client.close(),
    };
  },
};
