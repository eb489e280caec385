import { spawnSync } from 'node:child_process';
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import {
  type FaultProxy,
  type MemcachedProcess,
  SASL_PASSWORD,
  SASL_USER,
  startFaultProxy,
  startMemcached,
} from '@dalli/test-utils';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AuthError, Client, type CommandContext, InvalidKeyError, TimeoutError } from '../../src/index.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('%s protocol', (protocol) => {
  let memcached: MemcachedProcess;
  const clients: Client[] = [];
  const cleanups: (() => void)[] = [];

  beforeAll(async () => {
    memcached = await startMemcached();
  });
  afterAll(() => memcached.stop());
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });

  function client(
    servers: string | string[] = memcached.address,
    options: ConstructorParameters<typeof Client>[1] = {},
  ): Client {
    const made = new Client(servers, { protocol, ...options });
    clients.push(made);
    return made;
  }

  type TraceEvent = { phase: string; context: CommandContext };

  /** Records every dalli:command event of `target`, as copies taken when published. */
  function traceOf(target: Client): TraceEvent[] {
    const events: TraceEvent[] = [];
    const record = (phase: string) => (message: unknown) => {
      const context = message as CommandContext;
      if (context.client === target) events.push({ phase, context: { ...context, servers: [...context.servers] } });
    };
    const handlers = {
      start: record('start'),
      end: record('end'),
      asyncStart: record('asyncStart'),
      asyncEnd: record('asyncEnd'),
      error: record('error'),
    };
    tracingChannel('dalli:command').subscribe(handlers);
    cleanups.push(() => tracingChannel('dalli:command').unsubscribe(handlers));
    return events;
  }

  /** Records the messages of one plain channel that come from `target`. */
  function messagesOf(name: string, target: Client): Record<string, unknown>[] {
    const messages: Record<string, unknown>[] = [];
    const listener = (message: unknown): void => {
      if ((message as { client: unknown }).client === target) messages.push(message as Record<string, unknown>);
    };
    subscribe(name, listener);
    cleanups.push(() => unsubscribe(name, listener));
    return messages;
  }

  const finalOf = (events: TraceEvent[]): CommandContext => events.at(-1)?.context as CommandContext;

  describe('dalli:command tracing channel', () => {
    it('publishes start, end, asyncStart and asyncEnd for a hit, with key, server and bytes', async () => {
      const cache = client();
      await cache.set('diag:hit', 'x'.repeat(98), 0, { raw: true });
      const events = traceOf(cache);
      expect(await cache.get('diag:hit')).toBe('x'.repeat(98));
      expect(events.map((event) => event.phase)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
      expect(events[0]?.context).toMatchObject({ operation: 'get', key: 'diag:hit' });
      expect(finalOf(events)).toMatchObject({
        operation: 'get',
        key: 'diag:hit',
        servers: [memcached.address],
        hit: true,
        bytes: 98,
      });
    });

    it('reports a miss', async () => {
      const cache = client();
      const events = traceOf(cache);
      await cache.get('diag:never');
      expect(finalOf(events)).toMatchObject({ operation: 'get', hit: false, bytes: 0 });
    });

    it('reports the bytes a write sends, and no hit', async () => {
      const cache = client();
      const events = traceOf(cache);
      await cache.set('diag:write', { a: 1 });
      expect(finalOf(events)).toMatchObject({ operation: 'set', bytes: JSON.stringify({ a: 1 }).length });
      expect(finalOf(events).hit).toBeUndefined();
    });

    it('publishes error with the typed error, for bad input and for timeouts', async () => {
      const proxy: FaultProxy = await startFaultProxy(memcached);
      cleanups.push(() => void proxy.close());
      const cache = client(proxy.address, { socketTimeout: 0.1, socketMaxFailures: 1 });
      const events = traceOf(cache);
      await cache.get('bad key').catch(() => undefined);
      expect(events.map((event) => event.phase)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
      expect(events.find((event) => event.phase === 'error')?.context.error).toBeInstanceOf(InvalidKeyError);
      events.length = 0;
      proxy.set({ blackhole: true });
      await cache.get('diag:slow').catch(() => undefined);
      const failure = events.find((event) => event.phase === 'error')?.context;
      expect(failure?.error).toBeInstanceOf(TimeoutError);
      expect(failure?.servers).toEqual([proxy.address]);
    });

    it('reports each server of a multi-server batch, with hits and misses', async () => {
      const others = await Promise.all([startMemcached(), startMemcached()]);
      cleanups.push(() => void Promise.all(others.map((server) => server.stop())));
      const addresses = [memcached.address, ...others.map((server) => server.address)];
      const cache = client(addresses);
      const keys = Array.from({ length: 60 }, (_, i) => `diag:multi:${i}`);
      await cache.setMulti(keys.slice(0, 40).map((key) => [key, key] as const));
      const events = traceOf(cache);
      await cache.getMulti(keys);
      const done = finalOf(events);
      expect(done).toMatchObject({ operation: 'getMulti', keyCount: 60, hits: 40, misses: 20 });
      expect([...done.servers].sort()).toEqual([...addresses].sort());
      expect(Object.values(done.keysPerServer ?? {}).reduce((a, b) => a + b, 0)).toBe(60);
      for (const [server, count] of Object.entries(done.keysPerServer ?? {})) {
        expect(count).toBe(keys.filter((key) => cache.locate(key).server === server).length);
      }
      events.length = 0;
      await cache.stats();
      expect([...finalOf(events).servers].sort()).toEqual([...addresses].sort());
    });

    it('reports the failover server a key was sent to', async () => {
      const second = await startMemcached();
      cleanups.push(() => void second.stop());
      const cache = client([memcached.address, second.address], { socketMaxFailures: 1, socketFailureDelay: 0.01 });
      const key = Array.from({ length: 50 }, (_, i) => `diag:fo:${i}`).find(
        (k) => cache.locate(k).server === second.address,
      ) as string;
      second.signal('SIGKILL');
      await expect.poll(() => second.running).toBe(false);
      const events = traceOf(cache);
      await cache.get(key);
      expect(finalOf(events)).toMatchObject({ operation: 'get', key, hit: false });
      await cache.get(key);
      expect(finalOf(events).servers).toEqual([memcached.address]);
    });
  });

  describe('lifecycle channels', () => {
    it('publish connect, close, server down and server up with the server and the error', async () => {
      const flaky = await startMemcached();
      const cache = client(flaky.address, { socketMaxFailures: 1, downRetryDelay: 0.1, socketFailureDelay: 0.01 });
      const connects = messagesOf('dalli:connection:connect', cache);
      const closes = messagesOf('dalli:connection:close', cache);
      const downs = messagesOf('dalli:server:down', cache);
      const ups = messagesOf('dalli:server:up', cache);
      await cache.set('k', 1);
      expect(connects).toEqual([{ client: cache, server: flaky.address }]);
      flaky.signal('SIGKILL');
      await expect.poll(() => flaky.running).toBe(false);
      await cache.get('k').catch(() => undefined);
      expect(downs).toHaveLength(1);
      expect(downs[0]).toMatchObject({
        server: flaky.address,
        failures: 1,
        error: expect.objectContaining({ code: 'ERR_DALLI_CONNECTION' }),
      });
      expect(closes.length).toBeGreaterThanOrEqual(1);
      await flaky.restart();
      await new Promise((resolve) => setTimeout(resolve, 150));
      await cache.get('k');
      expect(ups).toEqual([{ client: cache, server: flaky.address, downtime: expect.any(Number) }]);
      await cache.close();
      expect(closes.at(-1)).toMatchObject({ server: flaky.address, error: undefined });
      await flaky.stop();
    });

    it('publish auth failures without the credentials, in any payload', async () => {
      const canary = 'canary-in-the-diagnostics-7731';
      // SASL in binary; memcached's ASCII authentication (-Y) in meta and text.
      const sasl = await startMemcached(
        protocol === 'binary' ? { kind: 'sasl', users: { [SASL_USER]: SASL_PASSWORD } } : { kind: 'ascii-auth' },
      );
      const cache = client(sasl.address, { username: SASL_USER, password: canary, socketMaxFailures: 1 });
      const failures = messagesOf('dalli:auth:failure', cache);
      const everything: unknown[] = [failures, traceOf(cache)];
      for (const name of [
        'dalli:connection:connect',
        'dalli:connection:close',
        'dalli:server:down',
        'dalli:server:up',
      ]) {
        everything.push(messagesOf(name, cache));
      }
      await cache.get('k').catch(() => undefined);
      await cache.set('k', 1).catch(() => undefined);
      expect(failures).toHaveLength(1);
      expect(failures[0]).toMatchObject({ server: sasl.address, error: expect.any(AuthError) });
      const dump = inspect(everything, { depth: 12, showHidden: true });
      expect(dump).toContain(sasl.address);
      expect(dump).not.toContain(canary);
      await sasl.stop();
    });
  });
});

// The debug log is written above the dialect (the chokepoint), so one dialect proves it.
describe('NODE_DEBUG=dalli', () => {
  let memcached: MemcachedProcess;
  beforeAll(async () => {
    memcached = await startMemcached();
  });
  afterAll(() => memcached.stop());

  it('logs operations and server state to stderr, without credentials', async () => {
    const built = fileURLToPath(new URL('../../dist/index.mjs', import.meta.url));
    const script = `
      import { Client } from ${JSON.stringify(built)};
      const client = new Client(${JSON.stringify(memcached.address)}, { username: 'u', password: 'debug-canary-991' });
      await client.set('logged', 'v');
      await client.get('logged');
      await client.get('absent');
      await client.get('bad key').catch(() => {});
      await client.close();
    `;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, NODE_DEBUG: 'dalli' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/DALLI \d+: connected to 127\.0\.0\.1:\d+/);
    expect(result.stderr).toMatch(/DALLI \d+: get "logged" on 127\.0\.0\.1:\d+: hit, 3 bytes/);
    expect(result.stderr).toMatch(/DALLI \d+: get "absent" on .*: miss/);
    expect(result.stderr).toMatch(/DALLI \d+: get "bad key" on no server: failed \(ERR_DALLI_INVALID_KEY\)/);
    expect(result.stderr).not.toContain('debug-canary-991');
    const quiet = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(quiet.stderr).toBe('');
  });
});
