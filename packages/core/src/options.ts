import { InvalidArgumentError } from './errors.ts';

/** Options of {@link Client}. All times are in seconds, as in Dalli; fractions are allowed. */
export interface ClientOptions {
  /** Seconds a connect, or a request's reply, may take before the request fails with a timeout. Default 1. */
  readonly socketTimeout?: number;
  /** Largest value accepted, in bytes, after serialization. Default 1 MiB (raise memcached's `-I` to go higher). */
  readonly valueMaxBytes?: number;
}

export type ResolvedClientOptions = Required<ClientOptions>;

const defaults: ResolvedClientOptions = {
  socketTimeout: 1,
  valueMaxBytes: 1024 * 1024,
};

/** Fills in defaults; an unknown option or a value of the wrong kind is an error, not a silent no-op. */
export function resolveClientOptions(options: ClientOptions = {}): ResolvedClientOptions {
  for (const name of Object.keys(options)) {
    if (!Object.hasOwn(defaults, name)) throw new InvalidArgumentError(`unknown option "${name}"`);
  }
  const resolved = { ...defaults, ...definedOnly(options) };
  requirePositive('socketTimeout', resolved.socketTimeout);
  requirePositiveInteger('valueMaxBytes', resolved.valueMaxBytes);
  return resolved;
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}

function requirePositive(name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InvalidArgumentError(`option "${name}" must be a positive number of seconds`);
  }
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new InvalidArgumentError(`option "${name}" must be a positive integer`);
  }
}
