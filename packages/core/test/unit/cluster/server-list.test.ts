import { afterEach, describe, expect, it, vi } from 'vitest';
import { serverList } from '../../../src/cluster/server-list.ts';
import { InvalidArgumentError } from '../../../src/errors.ts';

describe('serverList', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('takes a string, a comma-separated string, or an array of either', () => {
    expect(serverList('127.0.0.1:1')).toEqual(['127.0.0.1:1']);
    expect(serverList('127.0.0.1:1, 127.0.0.1:2')).toEqual(['127.0.0.1:1', '127.0.0.1:2']);
    expect(serverList(['127.0.0.1:1', '127.0.0.1:2,127.0.0.1:3'])).toEqual([
      '127.0.0.1:1',
      '127.0.0.1:2',
      '127.0.0.1:3',
    ]);
  });

  it('falls back to MEMCACHE_SERVERS, then to 127.0.0.1:11211', () => {
    vi.stubEnv('MEMCACHE_SERVERS', '127.0.0.5:5,127.0.0.6:6');
    expect(serverList(undefined)).toEqual(['127.0.0.5:5', '127.0.0.6:6']);
    vi.stubEnv('MEMCACHE_SERVERS', undefined as unknown as string);
    delete process.env.MEMCACHE_SERVERS;
    expect(serverList(undefined)).toEqual(['127.0.0.1:11211']);
  });

  it('refuses empty lists, empty entries and non-strings', () => {
    for (const bad of ['', ',', 'a,,b', [], [42]]) {
      expect(() => serverList(bad as never)).toThrow(InvalidArgumentError);
    }
  });
});
