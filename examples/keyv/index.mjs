// Keyv 6 with memcached underneath, through @dalli/keyv.
//   node index.mjs
import { Client } from '@dalli/core';
import { KeyvDalli } from '@dalli/keyv';
import { localServers } from '@dalli/test-utils';
import { Keyv } from 'keyv';

const show = (label, value) => console.log(`${label.padEnd(44)} ${JSON.stringify(value)}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const memcached = await localServers(1);
console.log(`memcached: ${memcached.servers.join(', ')} (${memcached.origin})\n`);

// One client, shared by two Keyv namespaces; each adapter serves one Keyv.
const client = new Client(memcached.servers);
const users = new Keyv({ store: new KeyvDalli(client), namespace: 'users' });
const carts = new Keyv({ store: new KeyvDalli(client), namespace: 'carts' });
users.on('error', (error) => console.error('keyv error:', error.code, error.message));

try {
  await users.set('42', { name: 'Gala', plan: 'pro' });
  show("users.get('42')", await users.get('42'));

  await users.set('otp:42', '731905', 1_000); // milliseconds; memcached keeps it 1-2 s, Keyv hides the rest
  show("users.get('otp:42') now", await users.get('otp:42'));
  await sleep(1_100);
  show("users.get('otp:42') after 1.1 s", await users.get('otp:42'));

  await users.setMany([
    { key: '1', value: { name: 'Ada' } },
    { key: '2', value: { name: 'Linus' } },
  ]);
  show("users.getMany(['1', '2', '3'])", await users.getMany(['1', '2', '3']));
  show("users.has('2')", await users.has('2'));
  show("users.delete('2')", await users.delete('2'));

  await carts.set('42', ['moka pot']);
  await users.clear(); // a new generation for 'users' only: no flush_all
  show("after users.clear(): users.get('42')", await users.get('42'));
  show("after users.clear(): carts.get('42')", await carts.get('42'));
} finally {
  await client.close();
  await memcached.stop();
}
