// An ES module consumer of the same package.
//   node consumer.mjs
import { Client, InvalidKeyError } from '@dalli/core';
import { localServers } from '@dalli/test-utils';

const memcached = await localServers(1);
const client = new Client(memcached.servers);
try {
  await client.set('greeting', { from: 'ESM' });
  console.log(`[esm] import { Client } from '@dalli/core' -> get: ${JSON.stringify(await client.get('greeting'))}`);
  const error = await client.get('bad key').catch((e) => e);
  console.log(`[esm] bad key -> ${error.constructor.name} (instanceof: ${error instanceof InvalidKeyError})`);
} finally {
  await client.close();
  await memcached.stop();
}
