import { Op } from './command.ts';
import type { ProtocolName } from './wire-protocol.ts';

/** The `proxy` values: proxies whose limits the client knows. */
export const PROXIES = ['twemproxy'] as const;
export type ProxyName = (typeof PROXIES)[number];

/**
 * What a proxy does with a command: passes it on to memcached, hangs up on it (failing everything
 * else on the connection, so the client refuses it before sending), or never sees it because its
 * dialect cannot carry it (the capability check refuses it first).
 */
export type ProxyHandling = 'forwards' | 'hangs up' | 'not in its dialect';

/** What a proxy in front of memcached speaks, and what it does with each command. */
export interface ProxyTraits {
  /** Its name in messages. */
  readonly label: string;
  /** The only dialect it speaks. */
  readonly protocol: ProtocolName;
  /** Each command's fate, total over {@link Op}: a new op does not compile until every proxy has its row. */
  readonly handles: Readonly<Record<Op, ProxyHandling>>;
}

/**
 * nutcracker 0.5.0 parses get(s), the storage commands, cas, delete, incr/decr, touch, version and
 * quit; on anything else (stats, flush_all, gat, verbosity) it closes the connection.
 */
const twemproxy = {
  [Op.get]: 'forwards',
  [Op.gets]: 'forwards',
  [Op.gat]: 'hangs up',
  [Op.touch]: 'forwards',
  [Op.set]: 'forwards',
  [Op.add]: 'forwards',
  [Op.replace]: 'forwards',
  [Op.append]: 'forwards',
  [Op.prepend]: 'forwards',
  [Op.delete]: 'forwards',
  [Op.incr]: 'forwards',
  [Op.decr]: 'forwards',
  [Op.flush]: 'hangs up',
  [Op.version]: 'forwards',
  [Op.stats]: 'hangs up',
  // Text has no no-op: it is sent as version.
  [Op.noop]: 'forwards',
  [Op.getWithMetadata]: 'not in its dialect',
  [Op.saslListMechs]: 'not in its dialect',
  [Op.saslAuth]: 'not in its dialect',
  // A set whose data is the login: parsed as any set.
  [Op.asciiAuth]: 'forwards',
  [Op.leaseGet]: 'not in its dialect',
  [Op.invalidate]: 'not in its dialect',
  [Op.gats]: 'hangs up',
  [Op.casOf]: 'not in its dialect',
} as const satisfies Record<Op, ProxyHandling>;

export const proxies: Record<ProxyName, ProxyTraits> = {
  twemproxy: { label: 'twemproxy (nutcracker)', protocol: 'text', handles: twemproxy },
};

/** Why `proxy` cannot carry a command of `op` (a sentence for the caller), or undefined when it can. */
export function proxyRefusal(proxy: ProxyName | undefined, op: Op): string | undefined {
  if (proxy === undefined || proxies[proxy].handles[op] !== 'hangs up') return undefined;
  return `${proxies[proxy].label} does not support this command: it would close the connection on it`;
}
