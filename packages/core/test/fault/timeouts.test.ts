import { type FaultProxy, type MemcachedProcess, startFaultProxy, startMemcached } from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, ConnectionError, NoServerAvailableError, TimeoutError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  let memcached: MemcachedProcess;
  let proxy: FaultProxy;
  let client: Client;

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  /** A bound far above any expected duration: it catches a hang, it does not measure speed. */
  const HANG = 5_000;

  beforeAll(async () => {
    memcached = await startMemcached();
  });
  afterAll(() => memcached.stop());
  beforeEach(async () => {
    proxy = await startFaultProxy(memcached);
    client = new Client(proxy.address, { protocol, socketTimeout: 0.2, socketFailureDelay: 0.05, downRetryDelay: 0.5 });
  });
  afterEach(async () => {
    await client.close();
    await proxy.close();
  });

  describe('timeouts and failures', () => {
    it('retries a read, fails with TimeoutError, marks the server down, then probes and recovers once healed', async () => {
      await client.set('k', 'v');
      proxy.set({ blackhole: true });
      const started = performance.now();
      const error = await client.get('k').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).message).toBe(`get on ${proxy.address}: no reply within 200 ms`);
      expect(performance.now() - started).toBeLessThan(HANG);
      // Two attempts, each on a connection of its own: the first broke when its reply was late.
      expect(proxy.accepted).toBe(2);
      expect(client.servers()[0]).toMatchObject({ up: false, failures: 2 });
      await expect(client.get('k')).rejects.toBeInstanceOf(NoServerAvailableError);
      proxy.heal();
      await sleep(600);
      expect(await client.get('k')).toBe('v');
      expect(client.servers()[0]).toMatchObject({ up: true, failures: 0 });
    });

    it('never replays a write once it was sent: a timed-out set fails after one attempt', async () => {
      await client.noop();
      proxy.set({ blackhole: true });
      await expect(client.set('k', 'once')).rejects.toBeInstanceOf(TimeoutError);
      expect(proxy.accepted).toBe(1);
    });

    it('honours a per-operation timeout shorter than socketTimeout', async () => {
      const patient = new Client(proxy.address, { protocol, socketTimeout: 30, socketMaxFailures: 1 });
      await patient.set('k', 'v');
      proxy.set({ blackhole: true });
      const started = performance.now();
      await expect(patient.get('k', { timeout: 0.05 })).rejects.toBeInstanceOf(TimeoutError);
      expect(performance.now() - started).toBeLessThan(HANG);
      await patient.close();
    });

    it('fails the other requests on a timed-out connection with ConnectionError, never with stray replies', async () => {
      const single = new Client(proxy.address, { protocol, socketMaxFailures: 1, downRetryDelay: 0 });
      await single.set('k', 'v');
      proxy.set({ replyDelay: 400 });
      const first = single.get('k', { timeout: 0.1 });
      const second = single.set('k2', 'v2');
      await expect(first).rejects.toBeInstanceOf(TimeoutError);
      await expect(second).rejects.toBeInstanceOf(ConnectionError);
      await single.close();
    });

    it('settles operations on a frozen (SIGSTOP) server within the timeout budget and marks it down', async () => {
      const frozen = await startMemcached();
      const direct = new Client(frozen.address, {
        protocol,
        socketTimeout: 0.2,
        socketFailureDelay: 0.05,
        downRetryDelay: 0.3,
      });
      // The warm-up write may wait on a loaded machine; only the frozen phase is held to 200 ms.
      await direct.set('k', 'v', 0, { timeout: 5 });
      await frozen.freeze();
      const started = performance.now();
      const results = await Promise.allSettled([direct.get('k'), direct.get('k'), direct.set('k', 'w')]);
      expect(performance.now() - started).toBeLessThan(HANG);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(results.map((result) => (result as PromiseRejectedResult).reason.constructor)).toEqual([
        TimeoutError,
        TimeoutError,
        TimeoutError,
      ]);
      expect(direct.servers()[0]?.up).toBe(false);
      await frozen.thaw();
      await sleep(400);
      // The set timed out but its bytes reached the kernel: memcached may apply it once thawed.
      // A timeout means "unknown outcome", never "not applied".
      expect(['v', 'w']).toContain(await direct.get('k'));
      expect(direct.servers()[0]?.up).toBe(true);
      await direct.close();
      await frozen.stop();
    });

    it('reconnects on the next request when the server restarted while the connection was idle', async () => {
      const server = await startMemcached();
      const direct = new Client(server.address, { protocol });
      await direct.set('k', 'v');
      server.signal('SIGKILL');
      await expect.poll(() => server.running).toBe(false);
      await server.restart();
      // The idle connection saw the server go; the next request opens a new one. No flush was sent:
      // the value is gone only because memcached lost it in the crash.
      expect(await direct.get('k')).toBeUndefined();
      expect(await direct.set('k', 'again')).toBe(true);
      expect(direct.servers()[0]).toMatchObject({ up: true, failures: 0 });
      await direct.close();
      await server.stop();
    });

    it('fails fast with ConnectionError while the server is dead, then recovers after downRetryDelay', async () => {
      const server = await startMemcached();
      const direct = new Client(server.address, { protocol, socketFailureDelay: 0.01, downRetryDelay: 0.3 });
      await direct.set('k', 'v');
      server.signal('SIGKILL');
      await expect.poll(() => server.running).toBe(false);
      await expect(direct.set('k', 'refused')).rejects.toBeInstanceOf(ConnectionError);
      expect(direct.servers()[0]?.up).toBe(false);
      await expect(direct.get('k')).rejects.toBeInstanceOf(NoServerAvailableError);
      await server.restart();
      await sleep(400);
      expect(await direct.set('k', 'back')).toBe(true);
      expect(await direct.get('k')).toBe('back');
      await direct.close();
      await server.stop();
    });
  });

  describe('AbortSignal', () => {
    it('rejects an aborted operation at once, keeps the connection, and discards the late reply', async () => {
      await client.set('a', 'value of a');
      await client.set('b', 'value of b');
      proxy.set({ replyDelay: 100 });
      const controller = new AbortController();
      const aborted = client.get('a', { signal: controller.signal });
      const next = client.get('b');
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
      expect(await next).toBe('value of b');
      proxy.heal();
      expect(await client.get('a')).toBe('value of a');
      expect(proxy.accepted).toBe(1);
    });

    it('rejects with the reason given to abort()', async () => {
      proxy.set({ replyDelay: 100 });
      const controller = new AbortController();
      const reason = new Error('user went away');
      const pending = client.get('a', { signal: controller.signal });
      controller.abort(reason);
      await expect(pending).rejects.toBe(reason);
    });

    it('shares one signal across many operations without a listener-leak warning', async () => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => {
        warnings.push(warning);
      };
      process.on('warning', onWarning);
      const controller = new AbortController();
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => client.set(`shared:${i}`, i, 0, { signal: controller.signal })),
      );
      proxy.set({ replyDelay: 100 });
      const pending = Array.from({ length: 50 }, (_, i) => client.get(`shared:${i}`, { signal: controller.signal }));
      controller.abort();
      const results = await Promise.allSettled(pending);
      await new Promise((resolve) => setImmediate(resolve));
      process.off('warning', onWarning);
      expect(results.every((result) => result.status === 'rejected')).toBe(true);
      expect(warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')).toEqual([]);
    });
  });
});
