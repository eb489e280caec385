import { createHash } from 'node:crypto';
import type { SortedPoints } from './sorted-points.ts';

/**
 * libketama's circle, shared by libmemcached, twemproxy and node-hashring: a hash belongs to the
 * first point at or above it, and past the last point it wraps to the first. (Dalli's ring looks
 * the other way, which is why it has its own class.) Points of equal value keep member order, as
 * the stable sort of node-hashring does, so the first server listed wins a tie.
 */
export class Continuum {
  readonly #values: Uint32Array;
  readonly #owners: Uint16Array | Uint32Array;

  constructor(sorted: SortedPoints) {
    this.#values = sorted.values;
    this.#owners = sorted.owners;
  }

  ownerOf(hash: number): number {
    const values = this.#values;
    let low = 0;
    let high = values.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((values[middle] as number) < hash) low = middle + 1;
      else high = middle;
    }
    return this.#owners[low === values.length ? 0 : low] as number;
  }

  /** {@link ownerOf} for ascending hashes, in one walk (see `KeyRing.ownersOfAscending`). */
  ownersOfAscending(hashes: Uint32Array): Uint32Array {
    const values = this.#values;
    const owners = new Uint32Array(hashes.length);
    let first = 0;
    for (let i = 0; i < hashes.length; i++) {
      const hash = hashes[i] as number;
      while (first < values.length && (values[first] as number) < hash) first++;
      owners[i] = this.#owners[first === values.length ? 0 : first] as number;
    }
    return owners;
  }
}

/** libketama's key hash: the first four bytes of MD5, little-endian. */
export function md5KeyHash(wireKey: string): number {
  return createHash('md5').update(wireKey, 'utf8').digest().readUInt32LE(0);
}

/**
 * Points per server as libmemcached (`hosts.cc`) and twemproxy (`nc_ketama.c`) compute them, in C
 * `float`: `floor(weight / total × 160 / 4 × servers + 1e-10) × 4`. Single precision is kept on
 * purpose; at some weights a double would round the other way and give a server 4 points more.
 */
export function ketamaPointCount(weight: number, totalWeight: number, servers: number): number {
  const f = Math.fround;
  const share = f(f(weight) / f(totalWeight));
  return Math.floor(f(f(f(f(share * 160) / 4) * f(servers)) + 1e-10)) * 4;
}

/** A member's host and port, from its name (`host:port`, IPv6 unbracketed); undefined for a socket path. */
export function hostAndPort(name: string): { host: string; port: number } | undefined {
  if (name.startsWith('/')) return undefined;
  const colon = name.lastIndexOf(':');
  return { host: name.slice(0, colon), port: Number(name.slice(colon + 1)) };
}
