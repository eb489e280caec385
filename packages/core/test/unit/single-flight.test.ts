import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/recipes/fetch/single-flight.ts';

const never = new Promise<unknown>(() => {});

describe('SingleFlight', () => {
  it('joiners share the running task; a later call starts afresh', async () => {
    const flights = new SingleFlight();
    let starts = 0;
    const start = () => ({ promise: Promise.resolve(++starts), stale: never });
    const first = flights.run('k', start);
    const second = flights.run('k', start);
    expect([first.joined, second.joined]).toEqual([false, true]);
    expect(await Promise.all([first.promise, second.promise])).toEqual([1, 1]);
    expect(await flights.run('k', start).promise).toBe(2);
  });

  it('joiners get the early stale value; the first caller gets the task result', async () => {
    const flights = new SingleFlight();
    let finish: (value: unknown) => void = () => {};
    const promise = new Promise((resolve) => {
      finish = resolve;
    });
    const first = flights.run('k', () => ({ promise, stale: Promise.resolve('old') }));
    expect(await flights.run('k', () => ({ promise, stale: never })).promise).toBe('old');
    finish('new');
    expect(await first.promise).toBe('new');
  });

  it('a failing task nobody joined leaves no unhandled rejection (only its own promise rejects)', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', record);
    try {
      const flights = new SingleFlight();
      const { promise } = flights.run('k', () => ({ promise: Promise.reject(new Error('no')), stale: never }));
      await expect(promise).rejects.toThrow('no');
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });
});
