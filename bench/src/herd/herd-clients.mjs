// The clients of the herd scenario. Each gives `read(key, compute)`: the value of the key,
// computed on a miss, in that client's own way of protecting (or not) against the herd.
import { Client } from '@dalli/core';
import memjs from 'memjs';

const TTL = 60;

function dalli(protocol, fetchOptions) {
  return (address) => {
    const client = new Client(address, { protocol });
    return {
      read: (key, compute) => client.fetch(key, TTL, compute, fetchOptions),
      close: () => client.close(),
    };
  };
}

export const herdClients = {
  'dalli-meta': { name: '@dalli/core fetch, meta (lock key)', open: dalli('meta', { lockTtl: 5 }) },
  'dalli-meta-lease': {
    name: "@dalli/core fetch, meta lock: 'lease'",
    open: dalli('meta', { lockTtl: 5, lock: 'lease' }),
  },
  'dalli-binary-lock': { name: '@dalli/core fetch, binary + lock', open: dalli('binary', { lockTtl: 5, lock: true }) },
  'dalli-binary': { name: '@dalli/core fetch, binary (coalescing only)', open: dalli('binary', undefined) },
  'get-then-set': {
    name: '@dalli/core plain get, then set',
    open(address) {
      const client = new Client(address);
      return {
        async read(key, compute) {
          const cached = await client.get(key);
          if (cached !== undefined) return cached;
          const value = await compute();
          await client.set(key, value, TTL);
          return value;
        },
        close: () => client.close(),
      };
    },
  },
  memjs: {
    name: 'memjs 1.3.2 get, then set',
    open(address) {
      const client = memjs.Client.create(address, { retries: 0, timeout: 5, logger: { log() {} } });
      return {
        async read(key, compute) {
          const { value } = await client.get(key);
          if (value !== null) return value.toString();
          const computed = await compute();
          await client.set(key, computed, { expires: TTL });
          return computed;
        },
        close: async () => client.close(),
      };
    },
  },
};
