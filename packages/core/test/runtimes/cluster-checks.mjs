// What needs more than one plain server: TLS, SASL, a Unix socket, failover, a locked fetch,
// diagnostics, the Keyv adapter.
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { rejection, same, truthy } from './check.mjs';

/**
 * Named checks; `servers` holds `plain` (two live servers), `dead` (a port nobody listens on),
 * `tls` (a TLS server) and `ca` (its CA, PEM), `mutualTls` (one that wants a client certificate)
 * with `clientCert` and `clientKey`, `sasl` with `saslUser` and `saslPassword`, and
 * `unix` (a socket path).
 */
export function clusterChecks(core, keyv, servers) {
  const [one, two] = servers.plain;
  return {
    ...tlsChecks(core, servers),
    'failover: keys of a dead server go to the live one': async () => {
      const c = new core.Client([one, servers.dead], { socketTimeout: 0.5, socketMaxFailures: 1 });
      const keys = Array.from({ length: 20 }, (_, i) => `rt:failover:${i}`);
      for (const key of keys) same(await c.set(key, key), true, `set ${key}`);
      for (const key of keys) same(await c.get(key), key, `get ${key}`);
      truthy(
        c.servers().some((s) => s.name === servers.dead && !s.up),
        `the dead server is marked down: ${JSON.stringify(c.servers())}`,
      );
      await c.close();
    },
    'without failover, a dead server fails typed': async () => {
      const c = new core.Client([servers.dead], { socketTimeout: 0.5, failover: false });
      const error = await rejection(c.get('rt:nofailover'), 'get on a dead server');
      truthy(error instanceof core.DalliError, `a DalliError, got ${error}`);
      await c.close();
    },
    'two servers: multi-key operations span both': async () => {
      const c = new core.Client([one, two]);
      const entries = Array.from({ length: 40 }, (_, i) => [`rt:ring:${i}`, i]);
      await c.setMulti(entries);
      same((await c.getMulti(entries.map(([key]) => key))).size, 40, 'getMulti across two servers');
      const owners = new Set(entries.map(([key]) => c.locate(key).server));
      same(owners.size, 2, 'keys placed on both servers');
      await c.close();
    },
    'fetch with a lock key, two clients': async () => {
      const [a, b] = [new core.Client(one, { protocol: 'meta' }), new core.Client(one, { protocol: 'meta' })];
      await a.delete('rt:locked');
      let computed = 0;
      const slow = () => new Promise((resolve) => setTimeout(() => resolve(`by-${++computed}`), 100));
      const results = await Promise.all([
        a.fetch('rt:locked', 60, slow, { lock: true }),
        b.fetch('rt:locked', 60, slow),
      ]);
      same(computed, 1, 'one compute across two clients');
      same(results, ['by-1', 'by-1'], 'both callers get the winner value');
      await Promise.all([a.close(), b.close()]);
    },
    'diagnostics_channel: connect events': async () => {
      const seen = [];
      const listener = (message) => seen.push(message.server);
      subscribe('dalli:connection:connect', listener);
      const c = new core.Client(one);
      await c.get('rt:diag');
      unsubscribe('dalli:connection:connect', listener);
      same(seen, [one], 'one connect event naming the server');
      await c.close();
    },
    'diagnostics_channel: the dalli:command tracing channel': async () => {
      const seen = [];
      const handlers = {
        start: (context) => seen.push(`start ${context.operation}`),
        end: () => {},
        asyncStart: () => {},
        asyncEnd: (context) => seen.push(`asyncEnd ${context.operation}`),
        error: (context) => seen.push(`error ${context.operation}`),
      };
      const channel = tracingChannel('dalli:command');
      channel.subscribe(handlers);
      const c = new core.Client(one);
      await c.set('rt:traced', 1);
      await c.get('rt:traced');
      channel.unsubscribe(handlers);
      same(seen, ['start set', 'asyncEnd set', 'start get', 'asyncEnd get'], 'traced commands');
      await c.close();
    },
    'SASL (binary): a login, then set and get': async () => {
      const c = new core.Client(servers.sasl, { username: servers.saslUser, password: servers.saslPassword });
      same(await c.set('rt:sasl', 'in'), true, 'set after the login');
      same(await c.get('rt:sasl'), 'in', 'get');
      await c.close();
    },
    'Unix domain socket: set, get, getMulti': async () => {
      const c = new core.Client(servers.unix, { protocol: 'meta' });
      same(await c.set('rt:unix', 'local'), true, 'set');
      same(await c.get('rt:unix'), 'local', 'get');
      same((await c.getMulti(['rt:unix', 'rt:none'])).size, 1, 'getMulti');
      await c.close();
    },
    // https://github.com/oven-sh/bun/issues/13564: the `memcached` package stalled here under Bun.
    'oven-sh/bun#13564 reproduction: set myKey with a 20 s TTL, get it back': async () => {
      const c = new core.Client(one);
      same(await c.set('myKey', 'myValue', 20), true, 'set');
      same(await c.get('myKey'), 'myValue', 'cached value');
      await c.close();
    },
    'Keyv adapter: set, get, getMany, delete, clear': async () => {
      const c = new core.Client(one);
      const store = new keyv.Keyv({ store: new keyv.KeyvDalli(c), namespace: 'rt' });
      same(await store.set('a', { x: 1 }), true, 'keyv set');
      same(await store.get('a'), { x: 1 }, 'keyv get');
      await store.set('b', 2);
      same(await store.getMany(['a', 'b', 'c']), [{ x: 1 }, 2, undefined], 'keyv getMany');
      same(await store.delete('b'), true, 'keyv delete');
      await store.clear();
      same(await store.get('a'), undefined, 'keyv get after clear');
      await c.close();
    },
  };
}

function tlsChecks(core, servers) {
  const tls = { ca: servers.ca, servername: 'localhost' };
  const mutual = {
    'mutual TLS: a client certificate': async () => {
      const c = new core.Client(servers.mutualTls, {
        tls: { ...tls, cert: servers.clientCert, key: servers.clientKey },
      });
      same(await c.set('rt:mtls', 'ok'), true, 'set with a client certificate');
      same(await c.get('rt:mtls'), 'ok', 'get');
      await c.close();
    },
  };
  return Object.assign(
    mutual,
    Object.fromEntries(
      ['binary', 'meta', 'text'].map((protocol) => [
        `TLS, ${protocol}: set, get, getMulti, a 100 kB value`,
        async () => {
          const c = new core.Client(servers.tls, { protocol, tls });
          const big = 'y'.repeat(100_000);
          same(await c.set(`rt:tls:${protocol}`, big, 0, { compress: false }), true, 'set');
          same(await c.get(`rt:tls:${protocol}`), big, 'get');
          await c.setMulti([
            ['rt:tls:m1', 1],
            ['rt:tls:m2', 2],
          ]);
          same((await c.getMulti(['rt:tls:m1', 'rt:tls:m2'])).size, 2, 'getMulti');
          await c.close();
        },
      ]),
    ),
  );
}
