// Nodes join and leave a cluster while an app keeps using it. Three real memcached processes sit
// behind a configuration endpoint that answers `config get cluster` as ElastiCache does; the
// client polls it and follows 2 → 3 → 2 nodes while a load of mixed operations runs.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@dalli/core';
import { startConfigEndpoint, startMemcached } from '@dalli/test-utils';

const nodes = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
const endpoint = await startConfigEndpoint();
const listed = (count) => nodes.slice(0, count).map((node) => ({ host: 'localhost', ip: node.host, port: node.port }));
endpoint.announce(listed(2));
console.log(
  `configuration endpoint ${endpoint.address} lists ${listed(2)
    .map((n) => n.port)
    .join(', ')}`,
);

// Every change of the ring is published, with the share of keys that moved.
const onChange = ({ source, added, removed, movedShare, servers }) =>
  console.log(
    `[dalli:cluster:change] ${source}: +[${added.join(', ')}] -[${removed.join(', ')}] → ${servers.length} servers, ${(movedShare * 100).toFixed(0)}% of keys moved`,
  );
subscribe('dalli:cluster:change', onChange);

// discoveryInterval is 60 s by default; a fraction of a second here so the demo is short.
const client = new Client(endpoint.address, { discovery: 'config', discoveryInterval: 0.1 });
let operations = 0;
let failed = 0;
let running = true;
const worker = async (id) => {
  for (let n = id; running && operations < 100_000; n += 4) {
    const key = `item:${n % 300}`;
    try {
      if (n % 3 === 0) await client.set(key, { n });
      else if (n % 3 === 1) await client.get(key);
      else await client.getMulti([key, `item:${(n + 1) % 300}`]);
    } catch (error) {
      failed++;
      console.log(`failed: ${error.message}`);
    }
    operations++;
  }
};
const load = Promise.all([0, 1, 2, 3].map(worker));

const settle = async (servers) => {
  while (client.servers().length !== servers) await sleep(20);
  await sleep(300);
};
await settle(2);
console.log('a third node joins');
endpoint.announce(listed(3));
await settle(3);
console.log('the third node leaves');
endpoint.announce(listed(2));
await settle(2);

running = false;
await load;
console.log(`${operations} operations while the cluster changed, ${failed} failed`);
unsubscribe('dalli:cluster:change', onChange);
await client.close();
await endpoint.close();
await Promise.all(nodes.map((node) => node.stop()));
console.log('done.');
