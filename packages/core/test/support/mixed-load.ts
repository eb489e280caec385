import type { Client } from '../../src/index.ts';

/** A bounded load of mixed operations on a client, recording every failure. */
export interface MixedLoad {
  /** Operations completed (failed ones included). */
  readonly done: () => number;
  /** Every failure, as `operation: message`. */
  readonly failures: string[];
  /** Stops issuing and waits for the operations in flight. */
  stop(): Promise<void>;
}

const WORKERS = 8;
const KEYS = 200;

/**
 * Runs `WORKERS` loops of get / set / add / delete / incr / getMulti / deleteMulti on `load:*`
 * keys until stopped, or until `maxOps` or `maxMs`, whichever comes first.
 */
export function startMixedLoad(client: Client, maxOps = 200_000, maxMs = 20_000): MixedLoad {
  const failures: string[] = [];
  let done = 0;
  let stopped = false;
  const deadline = Date.now() + maxMs;
  const key = (n: number): string => `load:${n % KEYS}`;
  const step = async (n: number): Promise<unknown> => {
    switch (n % 7) {
      case 0:
        return client.set(key(n), { n, at: 'set' });
      case 1:
        return client.get(key(n));
      case 2:
        return client.add(key(n), n);
      case 3:
        return client.delete(key(n));
      case 4:
        return client.incr(`load:counter:${n % 10}`, 1, 0, 0);
      case 5:
        return client.getMulti([key(n), key(n + 1), key(n + 2), key(n + 3)]);
      default:
        return client.deleteMulti([key(n + 5), key(n + 6)]);
    }
  };
  const worker = async (id: number): Promise<void> => {
    for (let n = id; !stopped && done < maxOps && Date.now() < deadline; n += WORKERS) {
      try {
        await step(n);
      } catch (error) {
        failures.push(`op ${n % 7}: ${(error as Error).message}`);
      }
      done++;
    }
  };
  const running = Promise.all(Array.from({ length: WORKERS }, (_, id) => worker(id)));
  return {
    done: () => done,
    failures,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}

/** Waits until `count` more operations have completed, so a change lands while the load is running. */
export async function whileLoaded(load: MixedLoad, count = 500): Promise<void> {
  const target = load.done() + count;
  while (load.done() < target) await new Promise((resolve) => setTimeout(resolve, 5));
}
