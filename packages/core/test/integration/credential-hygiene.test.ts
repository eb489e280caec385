import { inspect } from 'node:util';
import { type FaultProxy, freePort, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/index.ts';

// A password that must never show up anywhere a user or a log could see it.
const CANARY = 'canary-5f1e9d2b-never-print-me';
const USER = 'hygiene-user';

let sasl: MemcachedProcess;
let proxy: FaultProxy;

beforeAll(async () => {
  sasl = await startMemcached({ kind: 'sasl', users: { [USER]: CANARY } });
  proxy = await startFaultProxy(sasl);
});
afterAll(async () => {
  await proxy.close();
  await sasl.stop();
});

/** Everything a log line could be made of: message, stack, cause chain, own properties. */
function everything(value: unknown): string {
  const parts = [inspect(value, { depth: null, showHidden: true, getters: true }), String(value)];
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // a circular value cannot be serialized; inspect covered it
  }
  if (value instanceof Error) parts.push(value.message, value.stack ?? '', everything(value.cause));
  return parts.join('\n');
}

function expectNoCanary(value: unknown): void {
  const text = everything(value);
  expect(text.length).toBeGreaterThan(0);
  expect(text).not.toContain(CANARY);
  expect(text).not.toContain(encodeURIComponent(CANARY));
}

describe('the password never appears', () => {
  it('in a working client: inspect, JSON, server states, key locations', async () => {
    const client = new Client(sasl.address, { username: USER, password: CANARY });
    await client.set('k', 1);
    expectNoCanary(client);
    expectNoCanary(client.servers());
    expectNoCanary(client.locate('k'));
    await client.close();
  });

  it('in the errors of a refused login (a wrong password shares no characters with the canary)', async () => {
    const client = new Client(sasl.address, { username: USER, password: `${CANARY}-wrong` });
    for (const call of [() => client.get('k'), () => client.getMulti(['a', 'b']), () => client.stats()]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expectNoCanary(error);
      expect(everything(error)).not.toContain(`${CANARY}-wrong`);
    }
    await client.close();
  });

  it('in the errors of timeouts and refused connections', async () => {
    const timing = new Client(proxy.address, { username: USER, password: CANARY, socketTimeout: 0.1 });
    await timing.set('k', 1);
    proxy.set({ blackhole: true });
    expectNoCanary(await timing.get('k').catch((e: unknown) => e));
    proxy.heal();
    await timing.close();
    const nobody = new Client(`memcached://${USER}:${CANARY}@127.0.0.1:${await freePort()}`);
    const refused = await nobody.get('k').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Error);
    expectNoCanary(refused);
    expectNoCanary(nobody);
    await nobody.close();
  });

  it('in the error for an unparsable server entry', () => {
    const error = (() => {
      try {
        return new Client(`memcached://${USER}:${CANARY}@127.0.0.1:11211/not-a-path`);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(Error);
    expectNoCanary(error);
  });

  it('in the errors for bad options next to the password', () => {
    const error = (() => {
      try {
        return new Client(sasl.address, { username: USER, password: CANARY, socketTimeout: -1 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(Error);
    expectNoCanary(error);
  });
});
