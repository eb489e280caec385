// What is measured. Keys come from a shared keyspace of 1,000 keys holding 100-byte values,
// written to every server before the runs, so every client finds them whatever its hashing.
export const KEYSPACE = 1_000;
export const key = (index, prefix = 'bench:key') => `${prefix}:${String(index % KEYSPACE).padStart(4, '0')}`;
/** Writes go to keys of their own, so the values gets read stay 100 bytes. */
export const SET_PREFIX = 'bench:set';
export const VALUE_100 = 'v'.repeat(100);
export const VALUE_10K = 'w'.repeat(10 * 1024);

export const scenarios = [
  { id: 'get-1', name: 'get, 1 in flight', servers: 1, kind: 'get', concurrency: 1 },
  { id: 'get-100', name: 'get, 100 in flight', servers: 1, kind: 'get', concurrency: 100, traced: true },
  { id: 'get-1000', name: 'get, 1,000 in flight', servers: 1, kind: 'get', concurrency: 1_000 },
  { id: 'set-100', name: 'set 100 B, 100 in flight', servers: 1, kind: 'set', value: VALUE_100, concurrency: 100 },
  { id: 'set-10k', name: 'set 10 KiB, 100 in flight', servers: 1, kind: 'set', value: VALUE_10K, concurrency: 100 },
  {
    id: 'multiget-100',
    name: 'multi-get of 100 keys, 4 in flight',
    servers: 1,
    kind: 'getMulti',
    batch: 100,
    concurrency: 4,
  },
  {
    id: 'multiget-100-1',
    name: 'multi-get of 100 keys, 1 in flight',
    servers: 1,
    kind: 'getMulti',
    batch: 100,
    concurrency: 1,
  },
  { id: 'get-100-3', name: 'get, 100 in flight, 3 servers', servers: 3, kind: 'get', concurrency: 100 },
  {
    id: 'mix-3',
    name: '90/10 get/set, 100 in flight, 3 servers',
    servers: 3,
    kind: 'mix',
    value: VALUE_100,
    concurrency: 100,
  },
  { id: 'rate-50k', name: 'fixed rate: 50,000 gets/s', servers: 1, kind: 'get', rate: 50_000 },
];
