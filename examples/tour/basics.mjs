// Part one: the client on one server. Dalli's first example, values, pipelining, typed errors, timeouts.
import { Client, InvalidKeyError, TimeoutError } from '@dalli/core';
import { startFaultProxy } from '@dalli/test-utils';
import { show, step } from './print.mjs';

/** @param {import('@dalli/test-utils').MemcachedProcess} memcached */
export async function basics(memcached) {
  const client = new Client(memcached.address);
  try {
    step("Dalli's first example");
    show("await client.set('abc', 123)", await client.set('abc', 123));
    show("await client.get('abc')", await client.get('abc'));

    step('Values are JSON with Dalli\'s "serialized" flag; a miss is undefined');
    await client.set('user:42', { name: 'Gala', visits: 3 });
    show("await client.get('user:42')", await client.get('user:42'));
    show("await client.get('nobody')", String(await client.get('nobody')));
    show("await client.delete('abc')", await client.delete('abc'));
    show("await client.delete('abc') again", await client.delete('abc'));

    step('Pipelining: 1,000 gets issued in one tick leave in one write on one connection');
    const keys = Array.from({ length: 1000 }, (_, i) => `item:${i}`);
    await client.setMulti(keys.map((key, i) => [key, i]));
    const started = performance.now();
    const values = await Promise.all(keys.map((key) => client.get(key)));
    const elapsed = performance.now() - started;
    show(
      'every reply reached its own caller',
      values.every((value, i) => value === i),
    );
    show('1,000 gets took', `${elapsed.toFixed(1)} ms`);

    step('Bad input is a typed error before anything is sent');
    const error = await client.get('has a space').catch((e) => e);
    show('error instanceof InvalidKeyError', error instanceof InvalidKeyError);
    show('error.code', error.code);
    show('error.message', error.message);

    step('A server that stops answering costs one timeout, not a hung request');
    const proxy = await startFaultProxy(memcached);
    const impatient = new Client(proxy.address, { socketTimeout: 0.25, socketMaxFailures: 1 });
    try {
      await impatient.set('slow', 'ok');
      proxy.set({ blackhole: true });
      const timeout = await impatient.get('slow').catch((e) => e);
      show('error instanceof TimeoutError', timeout instanceof TimeoutError);
      show('error.message', timeout.message);
    } finally {
      await impatient.close();
      await proxy.close();
    }
  } finally {
    await client.close();
  }
}
