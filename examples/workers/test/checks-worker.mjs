// A Worker for the example's test: at GET /, runs checks of @dalli/core inside workerd and
// answers a JSON list of { name, ok, error? }. Bindings as worker.mjs, plus TLS_SERVER (a TLS
// memcached), SASL_SERVER with SASL_USER and SASL_PASSWORD, DEAD_SERVER (nobody listens there)
// and RING (seven servers, one more than Workers' connection limit).
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { Client, DalliError } from '@dalli/core';

const checks = {
  async 'meta: set, get, getMulti, delete, incr'(env) {
    await dialect(env.MEMCACHE_SERVERS, 'meta', false);
  },
  async 'text: set, get, getMulti, delete, incr'(env) {
    await dialect(env.MEMCACHE_SERVERS, 'text', false);
  },
  async 'binary: set, get, getMulti, delete, incr'(env) {
    await dialect(env.MEMCACHE_SERVERS, 'binary', false);
  },
  async 'TLS (secureTransport on), meta'(env) {
    await dialect(env.TLS_SERVER, 'meta', true);
  },
  async 'TLS (secureTransport on), text'(env) {
    await dialect(env.TLS_SERVER, 'text', true);
  },
  async 'SASL (binary): a login, then set and get'(env) {
    const client = new Client(env.SASL_SERVER, { username: env.SASL_USER, password: env.SASL_PASSWORD });
    expect((await client.set('wk:sasl', 'in')) === true, 'set after the login');
    expect((await client.get('wk:sasl')) === 'in', 'get');
    await client.close();
  },
  async 'failover: keys of a dead server go to the live one'(env) {
    const client = new Client([env.MEMCACHE_SERVERS, env.DEAD_SERVER], { socketTimeout: 1, socketMaxFailures: 1 });
    for (let i = 0; i < 10; i++) expect((await client.set(`wk:failover:${i}`, i)) === true, `set ${i}`);
    for (let i = 0; i < 10; i++) expect((await client.get(`wk:failover:${i}`)) === i, `get ${i}`);
    await client.close();
  },
  async 'fetch with a lock key and with a meta lease'(env) {
    const client = new Client(env.MEMCACHE_SERVERS, { protocol: 'meta' });
    await client.deleteMulti(['wk:fetch', 'wk:lease']);
    let computed = 0;
    const compute = () => `v${++computed}`;
    const both = await Promise.all([client.fetch('wk:fetch', 60, compute), client.fetch('wk:fetch', 60, compute)]);
    expect(both.join() === 'v1,v1' && computed === 1, `one compute: ${both}`);
    expect((await client.fetch('wk:lease', 60, () => 'leased', { lock: 'lease' })) === 'leased', 'lease fetch');
    expect((await client.get('wk:lease')) === 'leased', 'written under the lease');
    await client.close();
  },
  async 'diagnostics_channel: connect events and the dalli:command tracing channel'(env) {
    const seen = [];
    const onConnect = (message) => seen.push(`connect ${message.server}`);
    const handlers = {
      start: (context) => seen.push(`start ${context.operation}`),
      end() {},
      asyncStart() {},
      asyncEnd: (context) => seen.push(`asyncEnd ${context.operation}`),
      error() {},
    };
    subscribe('dalli:connection:connect', onConnect);
    tracingChannel('dalli:command').subscribe(handlers);
    const client = new Client(env.MEMCACHE_SERVERS);
    await client.get('wk:traced');
    tracingChannel('dalli:command').unsubscribe(handlers);
    unsubscribe('dalli:connection:connect', onConnect);
    await client.close();
    const expected = ['start get', `connect ${env.MEMCACHE_SERVERS}`, 'asyncEnd get'];
    expect(seen.join() === expected.join(), `events: ${seen}`);
  },
  async 'a seventh simultaneous connection fails typed, then the six close and a new one works'(env) {
    const six = Array.from({ length: 6 }, () => new Client(env.MEMCACHE_SERVERS, { socketTimeout: 2 }));
    await Promise.all(six.map((client) => client.get('wk:held')));
    const seventh = new Client(env.MEMCACHE_SERVERS, { socketTimeout: 2, failover: false });
    const error = await seventh.get('wk:seventh').then(
      () => undefined,
      (e) => e,
    );
    expect(error instanceof DalliError && /6 simultaneous connections/.test(error.message), `typed: ${error}`);
    await Promise.all([...six, seventh].map((client) => client.close()));
    const after = new Client(env.MEMCACHE_SERVERS);
    expect((await after.set('wk:after', 1)) === true, 'a connection after the six closed');
    await after.close();
  },
  async 'a ring of seven servers fails typed on a batch that needs them all'(env) {
    const ring = new Client(env.RING.split(','), { socketTimeout: 2, failover: false });
    const keys = Array.from({ length: 70 }, (_, i) => `wk:ring:${i}`);
    const error = await ring.getMulti(keys).then(
      () => undefined,
      (e) => e,
    );
    expect(error instanceof DalliError && /6 simultaneous connections/.test(error.message), `typed: ${error}`);
    await ring.close();
  },
};

async function dialect(servers, protocol, tls) {
  const client = new Client(servers, { protocol, tls, socketTimeout: 2 });
  const k = `wk:${protocol}:${tls}`;
  expect((await client.set(k, { n: 1 })) === true, 'set');
  expect((await client.get(k))?.n === 1, 'get');
  await client.setMulti([
    [`${k}:a`, 'a'],
    [`${k}:b`, 'b'],
  ]);
  expect((await client.getMulti([`${k}:a`, `${k}:b`, `${k}:c`])).size === 2, 'getMulti');
  expect((await client.delete(k)) === true, 'delete');
  expect((await client.incr(`${k}:n`, 1, 0, 5)) === 5n, 'incr');
  const big = 'z'.repeat(300_000);
  await client.set(`${k}:big`, big);
  expect((await client.get(`${k}:big`)) === big, 'a 300 kB value');
  await client.close();
}

function expect(condition, what) {
  if (!condition) throw new Error(what);
}

export default {
  async fetch(_request, env) {
    const results = [];
    for (const [name, run] of Object.entries(checks)) {
      try {
        await run(env);
        results.push({ name, ok: true });
      } catch (error) {
        results.push({ name, ok: false, error: String(error?.stack ?? error) });
      }
    }
    return Response.json(results);
  },
};
