import { Client } from '@dalli/core';

/**
 * @dalli/core through its public promise API, in one dialect. Values go as raw strings and
 * compression is off, so every client moves the same bytes (the others neither serialize nor
 * compress).
 */
export function dalliClient(name, options, ClientClass = Client) {
  return {
    name,
    async open(addresses) {
      const client = new ClientClass(addresses, { compress: false, ...options });
      const written = { raw: true };
      return {
        get: (key, done) => client.get(key).then(() => done(), done),
        set: (key, value, done) => client.set(key, value, 0, written).then(() => done(), done),
        getMulti: (keys, done) => client.getMulti(keys).then(() => done(), done),
        close: () => client.close(),
      };
    },
  };
}

export const dalli = dalliClient('@dalli/core', {});
export const dalliMeta = dalliClient('@dalli/core, meta protocol', { protocol: 'meta' });
export const dalliText = dalliClient('@dalli/core, text protocol', { protocol: 'text' });
