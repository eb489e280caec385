import { type MemcachedProcess, startMemcached } from '@dalli/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAMESPACE } from '../../support/migration-keys.ts';
import { startNutcracker } from '../../support/nutcracker.ts';
import { flushAll, ourPlacement, placementOnServers, unreadable } from '../../support/placement.ts';
import { writeThroughPylibmc } from '../../support/pylibmc.ts';

// The oracle is nutcracker 0.5.0 with `hash_tag: "{}"` (distribution: ketama, hash: md5): keys are
// written through it by pylibmc, so the proxy alone places them, and each server is read back.
let servers: MemcachedProcess[];
let entries: string[];

beforeAll(async () => {
  servers = await Promise.all(Array.from({ length: 3 }, () => startMemcached()));
  entries = servers.map((server, i) => `${server.address}:${i + 1}`);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
});

/**
 * Keys in every form the rule has to decide: a tag in front, in the middle, at the end; tags shared
 * by many keys; an empty tag before a real one (the whole key counts, not the second tag); an
 * opening brace never closed; a closing brace before the first opening one; a brace inside the tag;
 * unicode and emoji inside and around the tag; keys without a tag; namespaced keys (`app:`), whose
 * tag is found after the namespace, as nutcracker sees the whole key.
 */
function taggedKeys(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    switch (i % 12) {
      case 0:
        return `{user:${i % 50}}:profile:${i}`;
      case 1:
        return `cart:{user:${i % 50}}:${i}`;
      case 2:
        return `item:${i}:{shard${i % 7}}`;
      case 3:
        return `{}{user:${i % 50}}:${i}`;
      case 4:
        return `open{only:${i}`;
      case 5:
        return `close}first{x${i % 9}}:${i}`;
      case 6:
        return `{{nested${i % 5}}}:${i}`;
      case 7:
        return `{ключ:${i % 11}}:日本語:${i}`;
      case 8:
        return `😀{é${i % 13}😀}:${i}`;
      case 9:
        return `plain:${i}`;
      case 10:
        return `${NAMESPACE}:{user:${i % 50}}:session:${i}`;
      default:
        return `${NAMESPACE}:{}:${i}`;
    }
  });
}

async function placedByNutcracker(keys: readonly string[]): Promise<string[]> {
  const addresses = servers.map((server) => server.address);
  await flushAll(addresses);
  const proxy = await startNutcracker(entries, '{}');
  try {
    writeThroughPylibmc([proxy.address], {}, keys);
  } finally {
    await proxy.stop();
  }
  return placementOnServers(addresses, keys);
}

describe("hashTag '{}' with distribution 'twemproxy' agrees with nutcracker's hash_tag", () => {
  it('puts all 12,000 keys (tagged, untagged, empty and unclosed tags, namespaced) where nutcracker put them', async () => {
    const keys = taggedKeys(12_000);
    const theirs = await placedByNutcracker(keys);
    const options = { distribution: 'twemproxy', hashTag: '{}' } as const;
    const ours = ourPlacement(entries, options, keys);
    expect(ours.filter((server, i) => server !== theirs[i])).toEqual([]);
    expect(await unreadable(entries, options, keys)).toEqual([]);
    // The tags mattered: placed by whole keys, thousands of these keys would be elsewhere.
    const whole = ourPlacement(entries, { distribution: 'twemproxy' }, keys);
    expect(whole.filter((server, i) => server !== theirs[i]).length).toBeGreaterThan(1_000);
  });
});
