import { entryList } from './commands/argument-checks.ts';
import type { CounterOperation } from './commands/counters.ts';
import { setMultiKind } from './commands/multi.ts';
import type { KeyedOperation, ServerOperation } from './commands/operation.ts';
import { expirationFor } from './commands/ttl.ts';
import type { StoreOperation } from './commands/writes.ts';
import type { Dispatcher } from './dispatch/dispatcher.ts';
import { checkOperationOptions } from './options/operation-option-checks.ts';
import type { CounterOptions, OperationOptions, WriteOptions } from './options/operation-options.ts';
import type { WireProtocol } from './protocol/wire-protocol.ts';
import { type CounterClient, counterWithInitial } from './recipes/counter-with-initial.ts';
import { localCacheOf, localForget } from './recipes/local-cache/local-cache.ts';
import type { EncodedValue } from './values/value-codec.ts';

/** What the client's preparing steps need: its dispatcher and its defaults. */
export interface RunnerParts {
  readonly dispatcher: Dispatcher;
  readonly protocol: WireProtocol;
  /** The client's `raw` option. */
  readonly raw: boolean;
  /** The client's `expiresIn` option, in seconds. */
  readonly expiresIn: number;
}

/**
 * set, add, replace: the value is encoded first (a large one compressed off the event loop), and
 * the request is only issued (its deadline started) once its bytes are ready. The local cache
 * remembers the value once it is stored.
 */
export function storeValue(
  client: object,
  parts: RunnerParts,
  operation: StoreOperation,
  key: string,
  value: unknown,
  ttl: number | undefined,
  options: WriteOptions | undefined,
  cas: bigint | undefined,
): Promise<boolean> {
  let encoded: EncodedValue | Promise<EncodedValue>;
  try {
    checkOperationOptions(options, operation.name);
    const raw = options?.raw ?? parts.raw;
    encoded = parts.dispatcher.codec.encodeForWrite(value, raw, options?.compress, operation.name);
  } catch (error) {
    return Promise.reject(error);
  }
  const dispatcher = parts.dispatcher;
  // The usual value is encoded at once: no closure then; a compressed one waits for its bytes.
  const written =
    encoded instanceof Promise
      ? encoded.then((ready) => dispatcher.keyed(operation, key, ready, ttl, cas, options))
      : dispatcher.keyed(operation, key, encoded, ttl, cas, options);
  const cache = localCacheOf(client);
  return cache === undefined ? written : cache.wrote(key, value, written);
}

/**
 * incr, decr, in the options form `(amount, { ttl, initial })` or the older positional one
 * `(amount, ttl, initial, options)`; `counterWithInitial` where the dialect cannot create a counter.
 */
export function runCounter(
  client: CounterClient,
  parts: RunnerParts,
  operation: CounterOperation,
  key: string,
  amount: number | bigint,
  rest: readonly unknown[],
): Promise<bigint | undefined> {
  const [third, initial, last] = rest;
  const optionsForm = typeof third === 'object' && third !== null;
  const options = (optionsForm ? third : last) as (CounterOptions & OperationOptions) | undefined;
  const ttl = optionsForm ? options?.ttl : (third as number | undefined);
  const start = optionsForm ? options?.initial : (initial as number | bigint | undefined);
  localForget(client, [key]);
  if (start !== undefined && !parts.protocol.capabilities.counterWithInitial) {
    return counterWithInitial(client, operation.name as 'incr' | 'decr', key, amount, ttl, start, options);
  }
  return parts.dispatcher.keyed(operation, key, amount, start, ttl, options);
}

/** setMulti: every value encoded (and checked) before any is sent; large ones compress off the event loop. */
export async function storeEntries(
  client: object,
  parts: RunnerParts,
  entries: Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>,
  ttl: number | undefined,
  options: WriteOptions | undefined,
): Promise<void> {
  checkOperationOptions(options, 'setMulti');
  const expiration = expirationFor(ttl ?? parts.expiresIn, 'setMulti');
  const raw = options?.raw ?? parts.raw;
  const list = entryList(entries, 'setMulti');
  const codec = parts.dispatcher.codec;
  const values = list.map(([, value]) => codec.encodeForWrite(value, raw, options?.compress, 'setMulti'));
  const ready = values.some((value) => value instanceof Promise) ? await Promise.all(values) : values;
  const encoded = new Map(list.map(([key], i) => [key, ready[i] as EncodedValue]));
  localForget(client, encoded.keys());
  await parts.dispatcher.batch(setMultiKind, encoded.keys(), { values: encoded, expiration }, options, raw);
}

/**
 * The one runner of keyed operations: applies the descriptor's local-cache effect, then hands the
 * operation to the dispatcher. Outside a local-cache scope it adds nothing to the call.
 */
export function runKeyed<T, A, B, C>(
  client: object,
  dispatcher: Dispatcher,
  operation: KeyedOperation<T, A, B, C>,
  key: string,
  a: A,
  b: B,
  c: C,
  options: (OperationOptions & { readonly raw?: boolean | undefined }) | undefined,
): Promise<T> {
  const raw = options?.raw;
  const effect = operation.effect;
  if (effect === 'forget') localForget(client, [key]);
  else if (effect === 'read' && raw === undefined) {
    // Raw reads bypass the local cache: they return other bytes than the cached value.
    const cache = localCacheOf(client);
    if (cache !== undefined) {
      return cache.read(key, () => dispatcher.keyed(operation, key, a, b, c, options, raw)) as Promise<T>;
    }
  }
  return dispatcher.keyed(operation, key, a, b, c, options, raw);
}

/** The runner of whole-server operations: a flush clears the local cache. */
export function runOnEveryServer<T, A>(
  client: object,
  dispatcher: Dispatcher,
  operation: ServerOperation<T, A>,
  a: A,
  options: OperationOptions | undefined,
): Promise<Record<string, T>> {
  if (operation.effect === 'clear') localForget(client, undefined);
  return dispatcher.everyServer(operation, a, options);
}
