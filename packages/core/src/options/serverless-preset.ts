import { InvalidArgumentError } from '../errors.ts';
import { dialectsWith, protocols } from '../protocol/protocols.ts';
import { type ClientOptions, PRESETS, type Preset } from './client-options.ts';

/**
 * `preset: 'serverless'`, for ElastiCache Serverless and any single endpoint that shards behind
 * itself: TLS (the service accepts nothing else), the meta protocol unless `'text'` is chosen
 * (it refuses binary), no failover (there is no other server to fail over to; the endpoint fails
 * over inside), no discovery, and one server. Options that contradict it are errors, not silently
 * overridden.
 */
export function applyPreset(options: ClientOptions): ClientOptions {
  const preset = options.preset;
  if (preset === undefined) return options;
  if (!(PRESETS as readonly unknown[]).includes(preset)) fail("must be 'serverless'");
  const protocol = options.protocol === undefined ? undefined : protocols[options.protocol];
  if (protocol !== undefined && !protocol.capabilities.throughProxies) {
    fail(`refuses protocol ${protocol.name} (ElastiCache Serverless speaks ${dialectsWith('throughProxies')})`);
  }
  if (options.tls === false) fail('needs TLS (ElastiCache Serverless accepts only TLS connections)');
  if (options.failover === true) fail('has no client-side failover: the endpoint fails over behind itself');
  if (options.discovery !== undefined && options.discovery !== 'none') fail('takes one endpoint, without discovery');
  return { ...options, protocol: options.protocol ?? 'meta', tls: options.tls ?? true, failover: false };
}

/** A preset with one endpoint refuses a list of several servers: the endpoint does the sharding. */
export function checkServerCount(preset: Preset | undefined, count: number): void {
  if (preset === 'serverless' && count !== 1) {
    fail(`takes exactly one server, the cache's endpoint (got ${count}): the service shards behind it`);
  }
}

function fail(message: string): never {
  throw new InvalidArgumentError(`option "preset" 'serverless' ${message}`);
}
