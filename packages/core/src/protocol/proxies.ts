import { Op } from './command.ts';
import type { ProtocolName } from './wire-protocol.ts';

/** The `proxy` values: proxies whose limits the client knows. */
export const PROXIES = ['twemproxy'] as const;
export type ProxyName = (typeof PROXIES)[number];

/** What a proxy in front of memcached speaks, and the commands it does not know. */
export interface ProxyTraits {
  /** Its name in messages. */
  readonly label: string;
  /** The only dialect it speaks. */
  readonly protocol: ProtocolName;
  /** Commands it does not know: it hangs up on them, failing everything else on the connection. */
  readonly refuses: ReadonlySet<Op>;
}

export const proxies: Record<ProxyName, ProxyTraits> = {
  // nutcracker 0.5.0 parses get(s), the storage commands, cas, delete, incr/decr, touch, version
  // and quit; on anything else (stats, flush_all, gat, verbosity) it closes the connection.
  twemproxy: {
    label: 'twemproxy (nutcracker)',
    protocol: 'text',
    refuses: new Set([Op.stats, Op.flush, Op.gat, Op.gats]),
  },
};

/** Why `proxy` cannot carry a command of `op` (a sentence for the caller), or undefined when it can. */
export function proxyRefusal(proxy: ProxyName | undefined, op: Op): string | undefined {
  if (proxy === undefined || !proxies[proxy].refuses.has(op)) return undefined;
  return `${proxies[proxy].label} does not support this command: it would close the connection on it`;
}
