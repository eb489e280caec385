import type { KeyRing, RingMember } from './key-ring.ts';

/**
 * memjs 1.3.2's placement, which is not a ring: `|javaHash(key)| mod servers`, the hash taken over
 * the key's UTF-16 code units, servers in the order given. Adding a server moves most keys; that
 * is memjs's behaviour, kept so a shared cluster stays warm, not a choice to make for a new one.
 */
export class MemjsRing implements KeyRing {
  readonly distribution = 'memjs';
  readonly #servers: number;

  constructor(members: readonly RingMember[]) {
    this.#servers = members.length;
  }

  hash(wireKey: string): number {
    let hash = 0;
    for (let i = 0; i < wireKey.length; i++) hash = (31 * hash + wireKey.charCodeAt(i)) | 0;
    return Math.abs(hash);
  }

  ownerOf(hash: number): number {
    return hash % this.#servers;
  }

  ownersOfAscending(hashes: Uint32Array): Uint32Array {
    return hashes.map((hash) => this.ownerOf(hash));
  }
}
