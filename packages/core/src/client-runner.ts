import type { CounterOperation } from './commands/counters.ts';
import type { KeyedOperation, ServerOperation } from './commands/operation.ts';
import type { StoreOperation } from './commands/writes.ts';
import type { Dispatcher } from './dispatch/dispatcher.ts';
import { checkOperationOptions } from './options/operation-option-checks.ts';
import type { CounterOptions, OperationOptions, WriteOptions } from './options/operation-options.ts';
import type { WireProtocol } from './protocol/wire-protocol.ts';
import { type CounterClient, counterWithInitial } from './recipes/counter-with-initial.ts';
import type { FetchOptions } from './recipes/fetch/fetch-options.ts';
import type { Fetcher } from './recipes/fetch/fetcher.ts';
import { localCacheOf, localFetch, localForget } from './recipes/local-cache/local-cache.ts';
import type { ClientNearCache } from './recipes/near-cache/client-near-cache.ts';
import type { EncodedValue } from './values/value-codec.ts';

/** What the client's preparing steps need: its dispatcher and its defaults. */
export interface RunnerParts {
  readonly dispatcher: Dispatcher;
  readonly protocol: WireProtocol;
  /** The client's `raw` option. */
  readonly raw: boolean;
  /** The client's `expiresIn` option, in seconds. */
  readonly expiresIn: number;
  /** The near cache and hot-key sketch (`nearCache`, `hotKeys`), whatever their options. */
  readonly near: ClientNearCache;
}

/**
 * set, add, replace: the value is encoded first (a large one compressed off the event loop), and
 * the request is only issued (its deadline started) once its bytes are ready. The local cache
 * remembers the value once it is stored; the near cache drops the key.
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
  const stored = parts.near.active ? parts.near.wrote([key], written) : written;
  const cache = localCacheOf(client);
  return cache === undefined ? stored : cache.wrote(key, value, stored);
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
  const counted =
    start !== undefined && !parts.protocol.capabilities.counterWithInitial
      ? counterWithInitial(client, operation.name as 'incr' | 'decr', key, amount, ttl, start, options)
      : parts.dispatcher.keyed(operation, key, amount, start, ttl, options);
  return parts.near.active ? parts.near.wrote([key], counted) : counted;
}

/** fetch, through the local cache in a scope, and the near cache's fresh value when it has one. */
export function runFetch(
  client: object,
  parts: RunnerParts & { readonly fetcher: Fetcher },
  key: string,
  ttl: number | undefined,
  compute: () => unknown,
  options: FetchOptions | undefined,
): Promise<unknown> {
  const run = (): Promise<unknown> => parts.fetcher.fetch(key, ttl, compute, options);
  return localFetch(client, key, options?.raw, () => parts.near.fetch(key, options, run));
}

/**
 * The one runner of keyed operations: applies the descriptor's local- and near-cache effects, then
 * hands the operation to the dispatcher. Outside a local-cache scope, with the near cache off, it
 * adds nothing to the call.
 */
export function runKeyed<T, A, B, C>(
  client: object,
  parts: RunnerParts,
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
      return cache.read(client, key, () => sendNear(parts, operation, key, a, b, c, options)) as Promise<T>;
    }
  }
  return parts.near.active
    ? sendNear(parts, operation, key, a, b, c, options)
    : parts.dispatcher.keyed(operation, key, a, b, c, options, raw);
}

/** The near cache's part of a keyed operation: a read may be served from it, a write drops the key. */
function sendNear<T, A, B, C>(
  parts: RunnerParts,
  operation: KeyedOperation<T, A, B, C>,
  key: string,
  a: A,
  b: B,
  c: C,
  options: (OperationOptions & { readonly raw?: boolean | undefined }) | undefined,
): Promise<T> {
  const { dispatcher, near } = parts;
  const raw = options?.raw;
  switch (near.active ? operation.near : 'none') {
    case 'read':
      return (near.get(key, options) ?? dispatcher.keyed(operation, key, a, b, c, options, raw)) as Promise<T>;
    case 'write':
      return near.wrote([key], dispatcher.keyed(operation, key, a, b, c, options, raw));
    default:
      return dispatcher.keyed(operation, key, a, b, c, options, raw);
  }
}

/** The runner of whole-server operations: a flush clears the local and near caches. */
export function runOnEveryServer<T, A>(
  client: object,
  parts: RunnerParts,
  operation: ServerOperation<T, A>,
  a: A,
  options: OperationOptions | undefined,
): Promise<Record<string, T>> {
  if (operation.effect === 'clear') localForget(client, undefined);
  const answers = parts.dispatcher.everyServer(operation, a, options);
  return operation.near === 'clear' && parts.near.active ? parts.near.wrote(undefined, answers) : answers;
}
