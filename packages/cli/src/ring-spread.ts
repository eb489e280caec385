import type { Client } from '@dalli/core';

/** How a sample of keys spreads over servers, and how many move to a changed server list. */
export interface RingSpread {
  readonly distribution: string;
  readonly sampleKeys: number;
  /** Share of the sample each server owns, 0–1, in server-list order. */
  readonly shares: readonly { readonly server: string; readonly share: number }[];
}

/** The sample: keys shaped like an app's, the same for every run so results are repeatable. */
export function sampleKey(i: number): string {
  return `dalli-ring-sample:${i}`;
}

/** The owner of each sample key under `client`'s ring (its `locate()`: no request is sent). */
export function owners(client: Client, sampleKeys: number): string[] {
  const result = new Array<string>(sampleKeys);
  for (let i = 0; i < sampleKeys; i++) result[i] = client.locate(sampleKey(i)).server;
  return result;
}

export function spread(client: Client, owned: readonly string[]): RingSpread {
  const counts = new Map(client.servers().map((server) => [server.name, 0]));
  for (const server of owned) counts.set(server, (counts.get(server) ?? 0) + 1);
  return {
    distribution: owned.length === 0 ? '' : client.locate(sampleKey(0)).distribution,
    sampleKeys: owned.length,
    shares: [...counts].map(([server, count]) => ({ server, share: count / owned.length })),
  };
}

/** Share of keys whose owner differs between two rings over the same sample. */
export function movedShare(before: readonly string[], after: readonly string[]): number {
  let moved = 0;
  for (let i = 0; i < before.length; i++) if (before[i] !== after[i]) moved++;
  return moved / before.length;
}

/** A horizontal bar `width` cells wide at 100%, in eighths of a cell. */
export function bar(share: number, width: number): string {
  const eighths = Math.round(share * width * 8);
  const partial = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8] ?? '';
  return '█'.repeat(Math.floor(eighths / 8)) + partial;
}
