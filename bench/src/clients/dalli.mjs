import { Client } from '@dalli/core';

/** @dalli/core through its public promise API. */
export const dalli = {
  name: '@dalli/core',
  async open(address) {
    const client = new Client(address);
    return {
      set: (key, value) => client.set(key, value),
      get: (key, done) => client.get(key).then(() => done(), done),
      close: () => client.close(),
    };
  },
};
