import { InvalidArgumentError } from '../errors.ts';

/** What one process tells the others: these keys changed, or every key did (flush). */
export type InvalidationMessage = { readonly keys: readonly string[] } | { readonly all: true };

/**
 * Carries invalidations between processes (or worker threads) that hold near caches of the same
 * data: after each write, delete, touch, invalidate or flush the client publishes the keys, and it
 * drops the keys others publish. Delivery is best effort: without a bus, or when a message is lost,
 * the near cache's `ttl` still bounds how stale a value can be. Keys are the callers' keys, before
 * the client's `namespace`: give each namespace its own bus.
 */
export interface InvalidationBus {
  publish(message: InvalidationMessage): void;
  /** Calls `listener` with each message another publisher sent; returns the unsubscribe. */
  subscribe(listener: (message: InvalidationMessage) => void): () => void;
}

/** The `nearCache` client option. */
export interface NearCacheOptions {
  /**
   * Bytes the near cache may hold, counting each value by its size on the wire plus its key and
   * 96 bytes of bookkeeping. Default 16 MiB.
   */
  readonly maxBytes?: number | undefined;
  /**
   * Seconds an entry is served after it was read or revalidated: the bound on how stale a value
   * another process wrote can be. Past it, meta revalidates with `mg <key> c` (no value on the
   * wire when unchanged); binary and text read the value again. Default 1.
   */
  readonly ttl?: number | undefined;
  /** Invalidations to and from other processes (see {@link InvalidationBus}). Default: none, `ttl` alone bounds staleness. */
  readonly bus?: InvalidationBus | undefined;
}

export interface ResolvedNearCacheOptions {
  readonly maxBytes: number;
  /** Milliseconds. */
  readonly ttl: number;
  readonly bus: InvalidationBus | undefined;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const DEFAULT_TTL = 1;
const NAMES = ['maxBytes', 'ttl', 'bus'];

/** Checks the option (`false` or absent: off; `true`: the defaults) and fills in defaults; undefined when off. */
export function resolveNearCacheOptions(value: unknown): ResolvedNearCacheOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { maxBytes: DEFAULT_MAX_BYTES, ttl: DEFAULT_TTL * 1000, bus: undefined };
  if (typeof value !== 'object' || value === null) fail('must be true, false or { maxBytes, ttl, bus }');
  const given = value as Record<string, unknown>;
  for (const name of Object.keys(given)) if (!NAMES.includes(name)) fail(`has no option "${name}"`);
  const { maxBytes = DEFAULT_MAX_BYTES, ttl = DEFAULT_TTL, bus } = given;
  if (!Number.isSafeInteger(maxBytes) || (maxBytes as number) < 0) fail('maxBytes must be an integer, 0 or more');
  if (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl < 0)
    fail('ttl must be a finite number of seconds, 0 or more');
  if (
    bus !== undefined &&
    (typeof bus !== 'object' ||
      bus === null ||
      typeof (bus as InvalidationBus).publish !== 'function' ||
      typeof (bus as InvalidationBus).subscribe !== 'function')
  ) {
    fail('bus must be an object with publish and subscribe methods');
  }
  // A cache that may hold nothing, or serve nothing, is off.
  if (maxBytes === 0 || ttl === 0) return undefined;
  return { maxBytes: maxBytes as number, ttl: (ttl as number) * 1000, bus: bus as InvalidationBus | undefined };
}

function fail(message: string): never {
  throw new InvalidArgumentError(`option "nearCache" ${message}`);
}
