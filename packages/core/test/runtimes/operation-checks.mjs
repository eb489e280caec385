// Every operation of the client, in one dialect, against one memcached.
import { same, truthy } from './check.mjs';

/** Named checks of every single-key and multi-key operation; `core` is the built @dalli/core. */
export function operationChecks(core, protocol, server) {
  const client = () => new core.Client(server, { protocol, socketTimeout: 2 });
  const k = (name) => `rt:${protocol}:${name}`;
  return {
    'set, get, add, replace, delete': async (c = client()) => {
      same(await c.set(k('a'), { n: 1 }), true, 'set');
      same(await c.get(k('a')), { n: 1 }, 'get');
      same(await c.add(k('a'), 2), false, 'add on a present key');
      same(await c.add(k('b'), 'b'), true, 'add on an absent key');
      same(await c.replace(k('a'), 'r'), true, 'replace');
      same(await c.replace(k('none'), 'r'), false, 'replace on an absent key');
      same(await c.delete(k('a')), true, 'delete');
      same(await c.delete(k('a')), false, 'delete again');
      same(await c.get(k('a')), undefined, 'get after delete');
      await c.close();
    },
    'append, prepend': async (c = client()) => {
      await c.set(k('s'), 'mid', 0, { raw: true });
      same(await c.append(k('s'), '>'), true, 'append');
      same(await c.prepend(k('s'), '<'), true, 'prepend');
      same(new TextDecoder().decode(await c.get(k('s'), { raw: true })), '<mid>', 'raw get');
      await c.close();
    },
    'incr, decr': async (c = client()) => {
      await c.delete(k('n'));
      same(String(await c.incr(k('n'), 1, 0, 10)), '10', 'incr creating the counter');
      same(String(await c.incr(k('n'), 5)), '15', 'incr');
      same(String(await c.decr(k('n'), 20)), '0', 'decr floors at 0');
      await c.close();
    },
    'touch, gat': async (c = client()) => {
      await c.set(k('t'), 'v', 100);
      same(await c.touch(k('t'), 200), true, 'touch');
      same(await c.touch(k('none'), 200), false, 'touch on an absent key');
      same(await c.gat(k('t'), 300), 'v', 'gat');
      await c.close();
    },
    'gets, set with cas, cas loop': async (c = client()) => {
      await c.set(k('c'), 1);
      const read = await c.gets(k('c'));
      truthy(typeof read?.cas === 'bigint', 'gets returns a bigint cas');
      same(await c.set(k('c'), 2, 0, { cas: read.cas }), true, 'set with the current cas');
      same(await c.set(k('c'), 3, 0, { cas: read.cas }), false, 'set with a stale cas');
      same(await c.cas(k('c'), (v) => v + 10), true, 'cas loop');
      same(await c.get(k('c')), 12, 'value after the cas loop');
      await c.close();
    },
    'setMulti, getMulti, deleteMulti': async (c = client()) => {
      const entries = Array.from({ length: 50 }, (_, i) => [k(`m${i}`), i]);
      await c.setMulti(entries);
      const got = await c.getMulti([...entries.map(([key]) => key), k('absent')]);
      same(got.size, 50, 'getMulti hits');
      same(got.get(k('m49')), 49, 'getMulti value');
      const deleted = await c.deleteMulti([k('m0'), k('absent')]);
      same([...deleted.values()], [true, false], 'deleteMulti');
      await c.close();
    },
    'a 200 kB value, compressed and not': async (c = client()) => {
      const big = 'x'.repeat(200_000);
      await c.set(k('big'), big);
      same(await c.get(k('big')), big, 'compressible value');
      const noise = new Uint8Array(200_000).map((_, i) => (i * 2654435761) >>> 24);
      await c.set(k('noise'), noise, 0, { raw: true });
      const back = await c.get(k('noise'), { raw: true });
      same(back.length, noise.length, 'incompressible raw value length');
      truthy(
        back.every((b, i) => b === noise[i]),
        'raw bytes read back',
      );
      await c.close();
    },
    'fetch and fetchMulti': async (c = client()) => {
      await c.deleteMulti([k('f'), k('f1'), k('f2')]);
      let computed = 0;
      const compute = () => {
        computed++;
        return 'fresh';
      };
      same(
        await Promise.all([c.fetch(k('f'), 60, compute), c.fetch(k('f'), 60, compute)]),
        ['fresh', 'fresh'],
        'fetch',
      );
      same(computed, 1, 'computes once');
      const many = await c.fetchMulti([k('f1'), k('f2')], 60, (missing) => new Map(missing.map((m) => [m, m])));
      same([...many.values()], [k('f1'), k('f2')], 'fetchMulti');
      await c.close();
    },
    ...(protocol === 'meta' ? metaOnly(client, k) : {}),
    'version, stats, noop, flush': async (c = client()) => {
      truthy(/^\d+\./.test(Object.values(await c.version())[0]), 'version');
      truthy('pid' in Object.values(await c.stats())[0], 'stats');
      await c.noop();
      same(Object.values(await c.flush()), [true], 'flush');
      same(await c.get(k('b')), undefined, 'get after flush');
      await c.close();
    },
  };
}

/** What only the meta dialect offers: invalidation with a grace period, and lease fetches. */
function metaOnly(client, k) {
  return {
    'invalidate, then a stale read': async (c = client()) => {
      await c.set(k('i'), 'old', 100);
      same(await c.invalidate(k('i'), { grace: 30 }), true, 'invalidate');
      same((await c.getWithMetadata(k('i')))?.value, 'old', 'getWithMetadata');
      const meta = await c.getWithMetadata(k('i'));
      same([meta?.value, meta?.stale], ['old', true], 'stale read');
      await c.close();
    },
    'fetch with a lease lock': async (c = client()) => {
      await c.delete(k('lease'));
      same(await c.fetch(k('lease'), 60, () => 'leased', { lock: 'lease' }), 'leased', 'lease fetch');
      same(await c.get(k('lease')), 'leased', 'value written under the lease');
      await c.close();
    },
  };
}
