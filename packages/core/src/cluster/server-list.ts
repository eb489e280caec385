import { InvalidArgumentError } from '../errors.ts';
import { isPlainHostPort } from './server-string.ts';

const DEFAULT_SERVERS = '127.0.0.1:11211';

/**
 * The server entries a client was given: a string or an array of strings, each possibly a
 * comma-separated list (as Dalli); `MEMCACHE_SERVERS`, else 127.0.0.1:11211, when absent.
 */
export function serverList(servers: string | readonly string[] | undefined): string[] {
  const given: unknown = servers ?? process.env.MEMCACHE_SERVERS ?? DEFAULT_SERVERS;
  if (typeof given !== 'string' && !Array.isArray(given)) throw notStrings();
  // One plain loop, no closure or array per entry: a fleet's 10,000 entries are read while the
  // constructor holds the event loop.
  const entries: string[] = [];
  for (const item of typeof given === 'string' ? [given] : (given as unknown[])) {
    if (typeof item !== 'string') throw notStrings();
    if (!item.includes(',')) entries.push(item.trim());
    else for (const part of item.split(',')) entries.push(part.trim());
  }
  if (entries.length === 0 || entries.includes('')) {
    throw new InvalidArgumentError('the server list is empty or has an empty entry');
  }
  return entries;
}

/**
 * A copy of `servers` when it is an array of more than `atLeast` plain `host:port` strings (with
 * `weighted`, `host:port:weight` too; see {@link isPlainHostPort}), what a large fleet's list nearly
 * always is: each checked with one regex test and nothing made, so that the servers can be made
 * later, in slices. Undefined for any other list (a string, a comma, a bad entry): {@link serverList}
 * reads it, and says what is wrong.
 */
export function plainServerList(servers: unknown, atLeast: number, weighted = false): string[] | undefined {
  if (!Array.isArray(servers) || servers.length <= atLeast) return undefined;
  for (let i = 0; i < servers.length; i++) {
    const entry: unknown = servers[i];
    if (typeof entry !== 'string' || !isPlainHostPort(entry, weighted)) return undefined;
  }
  return servers.slice();
}

function notStrings(): InvalidArgumentError {
  return new InvalidArgumentError('servers must be a string or an array of strings');
}
