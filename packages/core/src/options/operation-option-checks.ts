import { InvalidArgumentError } from '../errors.ts';

/**
 * Checks the shape of an operation's per-call options before anything is built or sent: an
 * object, with a real AbortSignal and boolean `raw`/`compress` when given. (`timeout`, `cas` and
 * `maxAttempts` are checked where they are read.) A fake signal would be trusted once and then
 * fail deep inside; a string `raw` would silently pick a codec path.
 */
export function checkOperationOptions(options: unknown, operation: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options must be an object', { operation });
  }
  const { signal, raw, compress } = options as Record<string, unknown>;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('signal must be an AbortSignal', { operation });
  }
  if (raw !== undefined && typeof raw !== 'boolean') {
    throw new InvalidArgumentError('raw must be true or false', { operation });
  }
  if (compress !== undefined && typeof compress !== 'boolean') {
    throw new InvalidArgumentError('compress must be true or false', { operation });
  }
}
