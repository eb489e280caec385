import { InvalidArgumentError } from '../errors.ts';

const DEFAULT_SERVERS = '127.0.0.1:11211';

/**
 * The server entries a client was given: a string or an array of strings, each possibly a
 * comma-separated list (as Dalli); `MEMCACHE_SERVERS`, else 127.0.0.1:11211, when absent.
 */
export function serverList(servers: string | readonly string[] | undefined): string[] {
  const given: unknown = servers ?? process.env.MEMCACHE_SERVERS ?? DEFAULT_SERVERS;
  if (typeof given !== 'string' && !Array.isArray(given)) {
    throw new InvalidArgumentError('servers must be a string or an array of strings');
  }
  const entries = (typeof given === 'string' ? [given] : given).flatMap((entry: unknown) => {
    if (typeof entry !== 'string') throw new InvalidArgumentError('servers must be a string or an array of strings');
    return entry.split(',').map((part) => part.trim());
  });
  if (entries.length === 0 || entries.some((entry) => entry === '')) {
    throw new InvalidArgumentError('the server list is empty or has an empty entry');
  }
  return entries;
}
