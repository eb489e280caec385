import { createHash } from 'node:crypto';

/** One point of a ketama continuum: its value on the circle, and the index of the server owning it. */
export interface ContinuumPoint {
  readonly value: number;
  readonly owner: number;
}

/**
 * libketama's circle, shared by libmemcached, twemproxy and node-hashring: a hash belongs to the
 * first point at or above it, and past the last point it wraps to the first. (Dalli's ring looks
 * the other way, which is why it has its own class.) Points of equal value keep their insertion
 * order, as the stable sort of node-hashring does.
 */
export class Continuum {
  readonly #values: Uint32Array;
  readonly #owners: Uint16Array;

  constructor(points: ContinuumPoint[]) {
    const sorted = points.map((point, order) => ({ ...point, order }));
    sorted.sort((a, b) => a.value - b.value || a.order - b.order);
    this.#values = Uint32Array.from(sorted, (point) => point.value);
    this.#owners = Uint16Array.from(sorted, (point) => point.owner);
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
}

/** MD5 of the UTF-8 text as four little-endian words: libketama's four points per digest. */
export function md5Words(text: string): [number, number, number, number] {
  const digest = createHash('md5').update(text, 'utf8').digest();
  return [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)];
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
