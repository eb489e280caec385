import { InvalidArgumentError } from '../errors.ts';

/** The `hotKeys` client option. */
export interface HotKeyOptions {
  /** Share (0…1) of one server's requests from this client that makes a key hot. Default 0.01 (1 %). */
  readonly share?: number | undefined;
  /** Seconds per window: keys are counted per window and reported at its end. Default 1. */
  readonly window?: number | undefined;
}

export interface ResolvedHotKeyOptions {
  readonly share: number;
  /** Milliseconds. */
  readonly window: number;
}

const NAMES = ['share', 'window'];

/** Checks the option (`false` or absent: off; `true`: the defaults); undefined when off. */
export function resolveHotKeyOptions(value: unknown): ResolvedHotKeyOptions | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return { share: 0.01, window: 1000 };
  if (typeof value !== 'object' || value === null) fail('must be true, false or { share, window }');
  const given = value as Record<string, unknown>;
  for (const name of Object.keys(given)) if (!NAMES.includes(name)) fail(`has no option "${name}"`);
  const { share = 0.01, window = 1 } = given;
  if (typeof share !== 'number' || !(share > 0 && share <= 1)) fail('share must be a number above 0, at most 1');
  if (typeof window !== 'number' || !Number.isFinite(window) || window <= 0) {
    fail('window must be a finite number of seconds above 0');
  }
  return { share, window: window * 1000 };
}

function fail(message: string): never {
  throw new InvalidArgumentError(`option "hotKeys" ${message}`);
}
