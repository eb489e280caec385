import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client, type ClientOptions, ConnectionError, type ServerDownMessage } from '../../src/index.ts';

/**
 * Flap memory against a real memcached that is stopped and started again: a server that goes down
 * again soon after coming back is held down longer each time (memcached proxy's flap time, ramp
 * and cap), and one that stays up for `flapTime` is forgiven. Holds are a fraction of a second
 * (`downRetryDelay` 0.2 s): they are read from `servers()` and `dalli:server:down`, not timed.
 */
describe('flap memory', () => {
  let memcached: MemcachedProcess;
  let client: Client | undefined;
  const downs: ServerDownMessage[] = [];
  const onDown = (message: unknown): void => {
    if ((message as ServerDownMessage).client === client) downs.push(message as ServerDownMessage);
  };

  beforeAll(async () => {
    memcached = await startMemcached();
    subscribe('dalli:server:down', onDown);
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    downs.length = 0;
    if (!memcached.running) await memcached.start();
  });
  afterAll(async () => {
    unsubscribe('dalli:server:down', onDown);
    await memcached.stop();
  });

  function connect(options: ClientOptions): Client {
    client = new Client(memcached.address, { socketFailureDelay: 0.01, socketMaxFailures: 1, ...options });
    return client;
  }

  /** Stops memcached and marks the server down with one refused request. */
  async function outage(of: Client): Promise<void> {
    await memcached.stop();
    await expect(of.set('k', 'refused')).rejects.toBeInstanceOf(ConnectionError);
    expect(of.servers()[0]?.up).toBe(false);
  }

  /** Starts memcached and waits (bounded) for the probe that brings the server back. */
  async function recovery(of: Client): Promise<void> {
    await memcached.start();
    await expect.poll(() => of.set('k', 'back').catch(() => false), { timeout: 5_000, interval: 20 }).toBe(true);
    expect(of.servers()[0]?.up).toBe(true);
  }

  it('holds a server that goes down again soon after coming back longer at each flap: downRetryDelay × ramp^flaps', async () => {
    const flapping = connect({ downRetryDelay: 0.2, health: { flapBackoffRamp: 1.2 } });
    await flapping.set('k', 'v');
    for (let i = 0; i < 3; i++) {
      await outage(flapping);
      await recovery(flapping);
    }
    await outage(flapping);
    expect(downs.map(({ retryDelay, flaps, reason }) => ({ retryDelay, flaps, reason }))).toEqual([
      { retryDelay: 200, flaps: 0, reason: 'failures' },
      { retryDelay: 240, flaps: 1, reason: 'failures' },
      { retryDelay: 288, flaps: 2, reason: 'failures' },
      { retryDelay: 346, flaps: 3, reason: 'failures' },
    ]);
    const state = flapping.servers()[0];
    expect(state).toMatchObject({ up: false, flaps: 3, downReason: 'failures', retryDelay: 346 });
    expect(state?.nextProbeAt).toBe((state?.downSince as number) + 346);
  });

  it('caps the hold-down at flapBackoffMax', async () => {
    const capped = connect({ downRetryDelay: 0.2, health: { flapBackoffRamp: 2, flapBackoffMax: 0.5 } });
    for (let i = 0; i < 3; i++) {
      await outage(capped);
      await recovery(capped);
    }
    expect(downs.map(({ retryDelay }) => retryDelay)).toEqual([200, 400, 500]);
  });

  it('forgives a server that stayed up for flapTime: its next outage is probed as a fresh one', async () => {
    const forgiven = connect({ downRetryDelay: 0.2, health: { flapTime: 0.3 } });
    await outage(forgiven);
    await recovery(forgiven);
    await outage(forgiven);
    await recovery(forgiven);
    expect(forgiven.servers()[0]?.flaps).toBe(1);
    // The rule under test is a span of time: stay up past flapTime.
    await sleep(400);
    expect(forgiven.servers()[0]?.flaps).toBe(0);
    await outage(forgiven);
    expect(downs.map(({ retryDelay, flaps }) => [retryDelay, flaps])).toEqual([
      [200, 0],
      [300, 1],
      [200, 0],
    ]);
  });

  it('with the defaults, probes a single outage after 1 s as before, and holds the second for 45 s (30 s × 1.5)', async () => {
    const defaults = connect({});
    await defaults.set('k', 'v');
    await outage(defaults);
    expect(defaults.servers()[0]).toMatchObject({ retryDelay: 1_000, flaps: 0 });
    await recovery(defaults);
    await outage(defaults);
    expect(defaults.servers()[0]).toMatchObject({ retryDelay: 45_000, flaps: 1 });
  });

  it('behaves as before with flapTime 0: every outage is probed after the first wait', async () => {
    const off = connect({ downRetryDelay: 0.2, health: { flapTime: 0 } });
    for (let i = 0; i < 3; i++) {
      await outage(off);
      await recovery(off);
    }
    expect(downs.map(({ retryDelay, flaps }) => [retryDelay, flaps])).toEqual([
      [200, 0],
      [200, 0],
      [200, 0],
    ]);
  });
});
