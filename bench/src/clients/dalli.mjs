import { Client } from '@dalli/core';

/**
 * @dalli/core through its public promise API. Values go as raw strings and compression is off,
 * so every client moves the same bytes (the others neither serialize nor compress).
 */
export const dalli = {
  name: '@dalli/core',
  async open(addresses) {
    const client = new Client(addresses, { compress: false });
    const written = { raw: true };
    return {
      get: (key, done) => client.get(key).then(() => done(), done),
      set: (key, value, done) => client.set(key, value, 0, written).then(() => done(), done),
      getMulti: (keys, done) => client.getMulti(keys).then(() => done(), done),
      close: () => client.close(),
    };
  },
};
