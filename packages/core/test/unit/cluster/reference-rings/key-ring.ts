/** The key placements a client can use: Dalli's own, or another client's, for clusters shared with it. */
export const DISTRIBUTIONS = [
  'dalli',
  'ketama',
  'libmemcached-consistent',
  'twemproxy',
  'node-memcached',
  'memjs',
] as const;

export type DistributionName = (typeof DISTRIBUTIONS)[number];

/** What a ring needs to know of a server. */
export interface RingMember {
  /** `host:port` (IPv6 without brackets) or a socket path, as the client names the server. */
  readonly name: string;
  readonly weight: number;
}

/**
 * A key placement: how a key hashes, and which member owns a hash. Failover rehashes with the same
 * `hash`, so a placement only decides where a key lives while its server is up.
 */
export interface KeyRing {
  readonly distribution: DistributionName;
  hash(wireKey: string): number;
  /** The index (among the members) of the server owning `hash`. */
  ownerOf(hash: number): number;
}
