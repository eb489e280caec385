// Part two: three servers. Where keys live, a server killed mid-flight, failover, and recovery.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@dalli/core';
import { note, show, step } from './print.mjs';

const DOWN_RETRY_DELAY = 1; // seconds; 30 by default, short here so recovery shows within the tour

/** @param {import('@dalli/test-utils').MemcachedProcess[]} memcached three running servers */
export async function cluster(memcached) {
  const servers = memcached.map((server) => server.address);
  const client = new Client(servers, { namespace: 'tour', downRetryDelay: DOWN_RETRY_DELAY });
  // Health changes are published on diagnostics channels; print them as they happen.
  const onDown = ({ server, failures, error }) =>
    note(`[dalli:server:down] ${server} after ${failures} failures: ${error.message}`);
  const onUp = ({ server, downtime }) => note(`[dalli:server:up] ${server} is back after ${downtime} ms`);
  subscribe('dalli:server:down', onDown);
  subscribe('dalli:server:up', onUp);
  try {
    step(`Three servers: ${servers.join(', ')}`);
    const keys = Array.from({ length: 30 }, (_, i) => `user:${i}`);
    await client.setMulti(keys.map((key) => [key, { key, savedAt: 'before the crash' }]));
    const perServer = Object.fromEntries(servers.map((server) => [server, 0]));
    for (const key of keys) perServer[client.locate(key).server]++;
    show("30 keys per server (Dalli's ring)", perServer);

    const key = 'user:7';
    const home = client.locate(key).server;
    const victim = memcached.find((server) => server.address === home);
    show(`client.locate('${key}')`, client.locate(key));

    step(`kill -9 the server that holds '${key}' (${home})`);
    await victim.stop();
    show(`await client.get('${key}')`, String(await client.get(key)));
    note(`(its server is down, so the key was rehashed onto a live server, where it is a miss)`);
    show(`client.locate('${key}')`, client.locate(key));
    show(`await client.set('${key}', …) meanwhile`, await client.set(key, { key, savedAt: 'during the outage' }));
    show(`await client.get('${key}')`, await client.get(key));
    const hits = await client.getMulti(keys);
    show('getMulti(30 keys) while one is down', `${hits.size} hits, the rest misses; no error`);
    show(
      'client.servers() up/failures',
      client.servers().map(({ name, up, failures }) => ({ name, up, failures })),
    );

    step(`memcached restarts on ${home}; after downRetryDelay (${DOWN_RETRY_DELAY} s) one request probes it`);
    await victim.restart();
    await sleep(DOWN_RETRY_DELAY * 1000 + 100);
    show(`await client.get('${key}')`, String(await client.get(key)));
    note(`(back on its own server, which restarted empty: a miss until the app writes it again;`);
    note(` the copy written during the outage is no longer read and ages out, as with Ruby's Dalli)`);
    show(`client.locate('${key}')`, client.locate(key));
    show(
      'every server up',
      client.servers().every((server) => server.up),
    );
  } finally {
    unsubscribe('dalli:server:down', onDown);
    unsubscribe('dalli:server:up', onUp);
    await client.close();
  }
}
