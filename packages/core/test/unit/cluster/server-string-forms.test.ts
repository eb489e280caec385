import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serverList } from '../../../src/cluster/server-list.ts';
import { parseServerEntry } from '../../../src/cluster/server-string.ts';
import { InvalidArgumentError } from '../../../src/errors.ts';

const CANARY = 'Canary7Pw';

describe('server forms users bring from other clients', () => {
  it.each([
    ['memjs / MemCachier user:pass@host:port', 'user:pw@127.0.0.1:11212', 'user', 'pw'],
    ['jaredwray/memcache memcache://', 'memcache://user:pw@127.0.0.1:11212', 'user', 'pw'],
    ['an uppercase scheme', 'MEMCACHED://user:pw@127.0.0.1:11212', 'user', 'pw'],
    ['a password holding / and @ (URI)', 'memcached://user:p/w@x@127.0.0.1:11212', 'user', 'p/w@x'],
    ['a password holding @ and : (memjs)', 'user:p@:w@127.0.0.1:11212', 'user', 'p@:w'],
    ['a percent-encoded password (URI)', 'memcached://user:p%2Cw%25@127.0.0.1:11212/', 'user', 'p,w%'],
  ])('accepts %s', (_, entry, username, password) => {
    const parsed = parseServerEntry(entry);
    expect(parsed).toMatchObject({ name: '127.0.0.1:11212', address: { host: '127.0.0.1', port: 11212 }, weight: 1 });
    expect(parsed.credentials?.username).toBe(username);
    expect(parsed.credentials?.reveal()).toBe(password);
  });
});

/** The message of the typed error the entry is refused with, or undefined if it parses. */
function refusal(entry: string): string | undefined {
  try {
    serverList(entry).map(parseServerEntry);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidArgumentError);
    return (error as Error).message;
  }
}

describe('no credential in any message, whatever the input', () => {
  const malformed = [
    `memcached://u:${CANARY}/x@h:0`,
    `memcached://u:pre@${CANARY}@h:0`,
    `MEMCACHED://u:${CANARY}@h:99999`,
    `Memcache://u:${CANARY}@h/path`,
    `u:${CANARY}@h:11211:2`,
    `u:${CANARY}@`,
    `memcached://u:${CANARY}%zz@h`,
    `memcached://u%zz:${CANARY}@h`,
    `memcached://u:${CANARY}`,
    `memcached://:${CANARY}@h`,
    `redis://u:${CANARY}@h`,
    `memcached://u:${CANARY}@h?x=1`,
    `memcached://u:${CANARY}@h#frag`,
    `memcached://u:${CANARY}@[::1`,
    `u:${CANARY}`,
    `memcached://u:${CANARY},${CANARY}@h`,
    `u:${CANARY}@h:port`,
    `/tmp/s.sock:${CANARY}`,
    `[::1]:${CANARY}`,
  ];
  it.each(malformed)('refuses %s with a typed error that does not hold the password', (entry) => {
    const message = refusal(entry);
    expect(message).toBeDefined();
    expect(message).not.toContain(CANARY);
  });

  it('holds for generated entries: any password in any of the credential forms', () => {
    const password = fc.string({ minLength: 1, maxLength: 12 }).map((text) => `${CANARY}${text}`);
    const form = fc.constantFrom('memcached://u:%s@h:x', 'MEMCACHE://u:%s@', 'u:%s@h:0', 'memcached://u:%s/', 'u:%s');
    fc.assert(
      fc.property(password, form, (secret, template) => {
        const message = refusal(template.replace('%s', secret)) ?? '';
        expect(message).not.toContain(CANARY);
      }),
    );
  });
});
