// bentocache on two app nodes: each with its own memory L1, both over one memcached L2 through
// @dalli/bentocache, kept in step by bentocache's bus (its in-process memory transport here; Redis
// pub/sub or MQTT between real processes).
//   node index.mjs
import { MemoryTransport } from '@boringnode/bus/transports/memory';
import { dalliDriver } from '@dalli/bentocache';
import { Client } from '@dalli/core';
import { localServers } from '@dalli/test-utils';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';

const show = (label, value) => console.log(`${label.padEnd(52)} ${JSON.stringify(value)}`);

const memcached = await localServers(1);
console.log(`memcached: ${memcached.servers.join(', ')} (${memcached.origin})\n`);
// One client per process, shared by its stores; a driver given a client leaves it open.
const client = new Client(memcached.servers);

function appNode() {
  const store = bentostore()
    .useL1Layer(memoryDriver({ maxSize: '10mb' }))
    .useL2Layer(dalliDriver({ servers: client }))
    .useBus({ options: {}, factory: () => new MemoryTransport() });
  return new BentoCache({ default: 'cache', stores: { cache: store } });
}
/** Resolves once `node` has heard from the other node's bus. */
const heard = (node) => new Promise((resolve) => node.once('bus:message:received', resolve));

const a = appNode();
const b = appNode();
try {
  let lookups = 0;
  const loadUser = async () => {
    lookups += 1;
    return { id: 42, name: 'Gala', plan: 'free' };
  };
  show("a.getOrSet('user:42')", await a.getOrSet({ key: 'user:42', ttl: '10m', factory: loadUser, tags: ['users'] }));
  show("b.getOrSet('user:42') (from memcached)", await b.getOrSet({ key: 'user:42', ttl: '10m', factory: loadUser }));
  show('database lookups', lookups);

  let message = heard(b);
  await a.set({ key: 'user:42', value: { id: 42, name: 'Gala', plan: 'pro' }, ttl: '10m', tags: ['users'] });
  await message;
  show("after a.set(): b.get('user:42') (bus cleared b's L1)", await b.get({ key: 'user:42' }));

  message = heard(b);
  await a.deleteByTag({ tags: ['users'] });
  await message;
  show("after a.deleteByTag(['users']): b.get('user:42')", await b.get({ key: 'user:42' }));

  await a.getOrSet({ key: 'rates', ttl: 1, grace: '1h', factory: () => ({ eur: 1.08 }) });
  await new Promise((resolve) => setTimeout(resolve, 10)); // the 1 ms TTL is long past
  const ratesDown = () => {
    throw new Error('the rates service is down');
  };
  show(
    "b.getOrSet('rates') while its factory fails (grace)",
    await b.getOrSet({ key: 'rates', ttl: 1, grace: '1h', factory: ratesDown }),
  );

  await client.set('other-app:config', 'untouched');
  message = heard(b);
  await a.clear();
  await message;
  show("after a.clear(): b.get('rates')", (await b.get({ key: 'rates' })) ?? null);
  show("another app's key on the same memcached", await client.get('other-app:config'));
} finally {
  await Promise.all([a.disconnect(), b.disconnect()]);
  await client.close();
  await memcached.stop();
}
