// A CommonJS consumer. @dalli/core ships as an ES module; Node 20.19+ and 22.12+ load it with
// require() (no flag, no warning), so there is one copy of the package and `instanceof` holds.
//   node consumer.cjs
const { Client, InvalidKeyError } = require('@dalli/core');
const { localServers } = require('@dalli/test-utils');

async function main() {
  const memcached = await localServers(1);
  const client = new Client(memcached.servers);
  try {
    await client.set('greeting', { from: 'CommonJS' });
    console.log(`[cjs] require('@dalli/core') -> get: ${JSON.stringify(await client.get('greeting'))}`);
    const error = await client.get('bad key').catch((e) => e);
    console.log(`[cjs] bad key -> ${error.constructor.name} (instanceof: ${error instanceof InvalidKeyError})`);
  } finally {
    await client.close();
    await memcached.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
