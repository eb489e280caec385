import { fileURLToPath } from 'node:url';
import { runScript, startScript } from '@dalli/test-utils';
import { describe, expect, it } from 'vitest';
import type { ProtocolName } from '../../../src/index.ts';
import { memcachedClient } from '../../support/memcached-client.ts';

// Several Node processes against one real memcached, each running the built package.
const worker = fileURLToPath(new URL('../../support/fetch-worker.mjs', import.meta.url));

const suite = memcachedClient('meta');

interface Job {
  protocol: ProtocolName;
  key: string;
  callers: number;
  computeMs?: number;
  clientPerCaller?: boolean;
  fetchOptions?: Record<string, unknown>;
  hang?: boolean;
  fail?: boolean;
  multiKeys?: string[];
}

function jobArgs(job: Job, startAt: number): string[] {
  return [
    JSON.stringify({
      computeMs: 200,
      address: suite.memcached.address,
      counterKey: `${job.key}:computes`,
      startAt,
      ...job,
    }),
  ];
}

/** Runs `processes` workers together and returns every caller's result. */
async function runProcesses(processes: number, job: Job): Promise<string[]> {
  const startAt = Date.now() + 1500;
  const ended = await Promise.all(
    Array.from({ length: processes }, () => runScript(worker, { args: jobArgs(job, startAt), timeoutMs: 30_000 })),
  );
  return ended.flatMap((result) => {
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    return JSON.parse(result.stdout.trim()) as string[];
  });
}

const computes = async (key: string): Promise<number> =>
  Number((await suite.client.get(`${key}:computes`, { raw: true })) ?? 0);

describe('meta leases across processes', () => {
  it('4 processes × 50 concurrent fetches of a cold key, 200 ms compute: one compute, 200 callers get its value', async () => {
    const results = await runProcesses(4, { protocol: 'meta', key: 'herd:cold', callers: 50 });
    expect(results).toHaveLength(200);
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toMatch(/^value from \d+$/);
    expect(await computes('herd:cold')).toBe(1);
    expect(await suite.client.get('herd:cold')).toBe(results[0]);
  });

  it('the same with a connection per caller (no in-process coalescing): still one compute', async () => {
    const results = await runProcesses(4, { protocol: 'meta', key: 'herd:each', callers: 25, clientPerCaller: true });
    expect(results).toHaveLength(100);
    expect(new Set(results).size).toBe(1);
    expect(await computes('herd:each')).toBe(1);
  });

  it('a winner killed mid-compute: its lock key expires after lockTtl and another process computes', async () => {
    const fetchOptions = { lockTtl: 2, waitTimeout: 10 };
    const hung = await startScript(worker, /computing/, {
      args: jobArgs({ protocol: 'meta', key: 'herd:crash', callers: 1, hang: true, fetchOptions }, 0),
    });
    const waiting = runProcesses(1, { protocol: 'meta', key: 'herd:crash', callers: 5, fetchOptions });
    await hung.stop('SIGKILL');
    const results = await waiting;
    expect(new Set(results).size).toBe(1);
    expect(results[0]).toMatch(/^value from \d+$/);
    expect(results[0]).not.toBe(`value from ${hung.child.pid}`);
    expect(await computes('herd:crash')).toBe(2);
  });

  it('a compute error reaches every caller of its process; the other processes retry and one computes', async () => {
    const failing = await startScript(worker, /computing/, {
      args: jobArgs({ protocol: 'meta', key: 'herd:error', callers: 10, fail: true, computeMs: 300 }, 0),
    });
    const others = await runProcesses(2, { protocol: 'meta', key: 'herd:error', callers: 10 });
    const failed = await failing.stop();
    const failedResults = JSON.parse(failed.stdout.trim().split('\n').at(-1) as string) as string[];
    expect(failedResults).toEqual(Array(10).fill(`error: compute failed in ${failing.child.pid}`));
    expect(others).toHaveLength(20);
    expect(new Set(others).size).toBe(1);
    expect(others[0]).toMatch(/^value from \d+$/);
    expect(await computes('herd:error')).toBe(2);
  });
});

describe("meta lock: 'lease' (opt-in) across processes", () => {
  it('4 processes × 50 concurrent fetches of a cold key: one compute', async () => {
    const job = { protocol: 'meta', key: 'herd:lease', callers: 50, fetchOptions: { lock: 'lease' } } as const;
    const results = await runProcesses(4, job);
    expect(results).toHaveLength(200);
    expect(new Set(results).size).toBe(1);
    expect(await computes('herd:lease')).toBe(1);
  });
});

// fetchMulti keeps fetch's guarantee: each key computed once across 4 processes × 10 callers.
describe.each([
  ['binary', { lock: true }],
  ['text', { lock: true }],
  ['meta', undefined],
  ['meta', { lock: 'lease' }],
] as const)('%s fetchMulti with %o across processes', (protocol, fetchOptions) => {
  it('4 processes × 10 concurrent fetchMulti calls of 3 cold keys: each key computed once', async () => {
    const key = `herd:multi:${protocol}:${fetchOptions?.lock ?? 'default'}`;
    const multiKeys = [`${key}:a`, `${key}:b`, `${key}:c`];
    const results = await runProcesses(4, { protocol, key, callers: 10, multiKeys, fetchOptions });
    expect(results).toHaveLength(40);
    expect(new Set(results).size).toBe(1);
    expect(JSON.parse(results[0] as string).map(([found]: [string]) => found)).toEqual(multiKeys);
    expect(await computes(key)).toBe(3);
  });
});

describe.each(['binary', 'text'] as const)('%s protocol fallbacks across processes', (protocol) => {
  it('lock: true elects one computer with an add lock: 4 processes × 50 callers, one compute', async () => {
    const key = `herd:lock:${protocol}`;
    const results = await runProcesses(4, { protocol, key, callers: 50, fetchOptions: { lock: true } });
    expect(new Set(results).size).toBe(1);
    expect(await computes(key)).toBe(1);
  });

  it('without lock, coalescing still bounds computes to one per process', async () => {
    const key = `herd:nolock:${protocol}`;
    const results = await runProcesses(4, { protocol, key, callers: 50 });
    expect(results).toHaveLength(200);
    expect(await computes(key)).toBeLessThanOrEqual(4);
    expect(await computes(key)).toBeGreaterThanOrEqual(1);
  });
});
