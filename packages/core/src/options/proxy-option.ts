import { InvalidArgumentError } from '../errors.ts';
import { PROXIES, proxies } from '../protocol/proxies.ts';
import type { ClientOptions } from './client-options.ts';

/**
 * `proxy: 'twemproxy'`: the servers given are twemproxy (nutcracker) listeners, so the client
 * speaks what the proxy speaks (the text protocol) and sends each get on its own line
 * (`coalesceGets: false`: a multi-key line spanning a failed backend makes twemproxy hang up on
 * every get of the line), and commands the proxy does not know fail before sending. A protocol
 * the proxy does not speak is an error; `coalesceGets: true` given explicitly is kept.
 */
export function applyProxy(options: ClientOptions): ClientOptions {
  const proxy = options.proxy;
  if (proxy === undefined) return options;
  if (!(PROXIES as readonly unknown[]).includes(proxy)) {
    throw new InvalidArgumentError(`option "proxy" must be one of ${PROXIES.map((name) => `'${name}'`).join(', ')}`);
  }
  const traits = proxies[proxy];
  if (options.protocol !== undefined && options.protocol !== traits.protocol) {
    throw new InvalidArgumentError(
      `option "proxy" '${proxy}' refuses protocol ${options.protocol} (${traits.label} speaks only ${traits.protocol})`,
    );
  }
  return { ...options, protocol: traits.protocol, coalesceGets: options.coalesceGets ?? false };
}
