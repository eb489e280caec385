// What one server's outage costs the adapters' namespaces, on three local memcached: each server in
// turn is frozen (SIGSTOP) for --seconds while Keyv 6 (failover on, the client's default) reads 300
// keys in a loop, then thawed; the namespaces are named so that the frozen server holds replica 0
// of their token (`<name>:__generation`, the one key of the design before replicas). Per frozen server it prints: the keys it owns, the misses during the
// outage among its keys and among the others', the updates and deletes made during the outage
// (on keys of the other servers) that were undone after it returned, and how many of 22 sessions
// on the healthy servers a session store started during the outage (failover off) reads.
//   node bench/src/namespace-outage.mjs [--seconds 2]
import { parseArgs } from 'node:util';
import { ClearableNamespace, Client } from '@dalli/core';
import { DalliSessionStore } from '@dalli/express-session';
import { KeyvDalli } from '@dalli/keyv';
import { startMemcached } from '@dalli/test-utils';
import { Keyv } from 'keyv';

const { values: args } = parseArgs({ options: { seconds: { type: 'string', default: '2' } } });
const outageMs = Math.min(Number(args.seconds) * 1000, 10_000);
const FAST = { socketTimeout: 0.2, socketMaxFailures: 1, socketFailureDelay: 0.01, downRetryDelay: 0.2 };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const memcacheds = await Promise.all([startMemcached(), startMemcached(), startMemcached()]);
const servers = memcacheds.map((memcached) => memcached.address);
const raw = new Client(servers);
const ids = Array.from({ length: 300 }, (_, i) => `k${i}`);
const sids = Array.from({ length: 22 }, (_, i) => `sid-${i}`);
const session = (user) => ({ cookie: { originalMaxAge: null, expires: null }, user });

console.log(`3 servers, Keyv 6 with failover on; each server frozen for ${outageMs} ms`);
console.log(
  '| frozen server | its keys | misses / reads of its keys | misses / reads of other keys | undone after return | sessions read by a store started meanwhile |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [index, victim] of memcacheds.entries()) {
  const namespace = holdingReplicaZero(`outage-${index}-`, victim, '');
  const client = new Client(servers, FAST);
  const keyv = new Keyv({ store: new KeyvDalli(client), namespace });
  keyv.on('error', () => {});
  await Promise.all(ids.map((id) => keyv.set(id, `v1:${id}`)));
  const wireKeys = await new ClearableNamespace(raw, namespace).keys(ids);
  const mine = new Set(ids.filter((_, i) => raw.locate(wireKeys[i]).server === victim.address));
  const others = ids.filter((id) => !mine.has(id));
  const prefix = holdingReplicaZero(`sessions-${index}-`, victim, ':');
  const store = new DalliSessionStore({ servers, prefix });
  for (const sid of sids) await store.set(sid, session(sid));
  await store.close();
  const healthySids = sids.filter((sid) => raw.locate(store.keyOf(sid)).server !== victim.address);
  await sleep(100); // background token repairs land

  await victim.freeze();
  const until = performance.now() + outageMs;
  const reads = { mine: 0, others: 0, missesMine: 0, missesOthers: 0 };
  const changed = others.slice(0, 20);
  await Promise.all([
    ...Array.from({ length: 10 }, async (_, caller) => {
      for (let n = caller; performance.now() < until && n < 1_000_000; n += 10) {
        const id = ids[n % ids.length];
        if (changed.includes(id)) continue;
        const hit = (await keyv.get(id)) !== undefined;
        if (mine.has(id)) reads.mine++;
        else reads.others++;
        if (hit) continue;
        if (mine.has(id)) reads.missesMine++;
        else reads.missesOthers++;
      }
    }),
    (async () => {
      await sleep(outageMs / 2);
      for (const [i, id] of changed.entries()) await (i % 2 === 0 ? keyv.set(id, 'v2') : keyv.delete(id));
    })(),
  ]);
  const started = new DalliSessionStore({ servers, prefix, clientOptions: FAST });
  const read = await Promise.all(healthySids.map((sid) => started.get(sid).catch(() => null)));
  await started.close();
  await victim.thaw();

  const back = [...mine][0];
  for (let tries = 0; tries < 100 && (await keyv.get(back)) === undefined; tries++) await sleep(50);
  const after = await Promise.all(changed.map((id) => keyv.get(id)));
  const undone = after.filter((value, i) => value !== (i % 2 === 0 ? 'v2' : undefined)).length;
  console.log(
    `| ${index} | ${mine.size} of ${ids.length} | ${reads.missesMine} / ${reads.mine} | ` +
      `${reads.missesOthers} / ${reads.others} | ${undone} of ${changed.length} | ` +
      `${read.filter((data) => data?.user !== undefined).length} of ${healthySids.length} |`,
  );
  await client.close();
}

/** The first name `<base><i>` whose token replica 0 (`<name><separator>:__generation`) lives on `server`. */
function holdingReplicaZero(base, server, separator) {
  for (let i = 0; ; i++) {
    const name = `${base}${i}${separator}`;
    if (raw.locate(`${name}:__generation`).server === server.address) return name;
  }
}

await raw.close();
await Promise.all(memcacheds.map((memcached) => memcached.stop()));
