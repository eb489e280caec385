import { uint64 } from '../commands/argument-checks.ts';
import type { OperationOptions, WriteOptions } from '../options/operation-options.ts';

/** The operations a counter with an initial value is built from, where the dialect has none. */
export interface CounterClient {
  incr(
    key: string,
    amount?: number | bigint,
    ttl?: number,
    initial?: undefined,
    options?: OperationOptions,
  ): Promise<bigint | undefined>;
  decr(
    key: string,
    amount?: number | bigint,
    ttl?: number,
    initial?: undefined,
    options?: OperationOptions,
  ): Promise<bigint | undefined>;
  add(key: string, value: unknown, ttl?: number, options?: WriteOptions): Promise<boolean>;
}

/** A miss, then another client's add, then a delete before the next incr: give up after this many rounds. */
const ROUNDS = 3;

/**
 * incr/decr with an initial value over the text protocol, which has none: incr; on a miss, add
 * the initial value (as decimal text, flags 0, exactly what memcached creates in binary and meta)
 * for `ttl`; if another client added the key first, incr again. Resolves undefined only if the
 * key keeps vanishing between the steps.
 */
export async function counterWithInitial(
  client: CounterClient,
  operation: 'incr' | 'decr',
  key: string,
  amount: number | bigint,
  ttl: number | undefined,
  initial: number | bigint,
  options: OperationOptions | undefined,
): Promise<bigint | undefined> {
  const start = uint64(initial, 'initial', operation);
  for (let round = 0; round < ROUNDS; round++) {
    const value = await client[operation](key, amount, undefined, undefined, options);
    if (value !== undefined) return value;
    if (await client.add(key, start.toString(), ttl, { ...options, raw: true, compress: false })) return start;
  }
  return undefined;
}
