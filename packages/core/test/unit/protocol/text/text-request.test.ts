import { describe, expect, it } from 'vitest';
import { type Command, Op } from '../../../../src/protocol/command.ts';
import { textProtocol } from '../../../../src/protocol/text/text-protocol.ts';

function encoded(command: Command): string {
  const out = Buffer.alloc(textProtocol.encodeBound(command));
  return out.toString('utf8', 0, textProtocol.encode(command, 7, out, 0));
}

// Lines as in memcached's doc/protocol.txt.
describe('text requests', () => {
  it('reads with get, gets and gat, touches with touch', () => {
    expect(encoded({ op: Op.get, key: 'foo' })).toBe('get foo\r\n');
    expect(encoded({ op: Op.get, key: 'foo', quiet: true })).toBe('get foo\r\n');
    expect(encoded({ op: Op.gets, key: 'foo' })).toBe('gets foo\r\n');
    expect(encoded({ op: Op.gat, key: 'foo', expiration: 60 })).toBe('gat 60 foo\r\n');
    expect(encoded({ op: Op.touch, key: 'foo', expiration: 60 })).toBe('touch foo 60\r\n');
  });

  it('gets and touches with gats, whose VALUE line carries the CAS', () => {
    expect(encoded({ op: Op.gats, key: 'foo', expiration: 60 })).toBe('gats 60 foo\r\n');
  });

  it('has no request for casOf (a read of the CAS alone is meta only)', () => {
    expect(() => encoded({ op: Op.casOf, key: 'foo' })).toThrow(RangeError);
  });

  it('stores with flags, exptime and length, then the data; a CAS token makes it a cas', () => {
    expect(encoded({ op: Op.set, key: 'k', value: 'é', flags: 1, expiration: 30 })).toBe('set k 1 30 2\r\né\r\n');
    expect(encoded({ op: Op.add, key: 'k', value: Buffer.from('ab') })).toBe('add k 0 0 2\r\nab\r\n');
    expect(encoded({ op: Op.replace, key: 'k', value: 'x', cas: 99n })).toBe('cas k 0 0 1 99\r\nx\r\n');
    expect(encoded({ op: Op.append, key: 'k', value: 'x' })).toBe('append k 0 0 1\r\nx\r\n');
    expect(encoded({ op: Op.prepend, key: 'k', value: 'x' })).toBe('prepend k 0 0 1\r\nx\r\n');
  });

  it('deletes, counts, flushes, and uses version where no no-op exists', () => {
    expect(encoded({ op: Op.delete, key: 'k' })).toBe('delete k\r\n');
    expect(encoded({ op: Op.incr, key: 'c', delta: 18446744073709551615n })).toBe('incr c 18446744073709551615\r\n');
    expect(encoded({ op: Op.decr, key: 'c', delta: 2n })).toBe('decr c 2\r\n');
    expect(encoded({ op: Op.flush, expiration: 0 })).toBe('flush_all 0\r\n');
    expect(encoded({ op: Op.noop })).toBe('version\r\n');
    expect(encoded({ op: Op.stats, key: 'items' })).toBe('stats items\r\n');
  });

  it('gets many keys in one line for a batch, up to 100 keys a line', () => {
    expect(encoded({ op: Op.get, keys: ['a', 'ключ', 'c'] })).toBe('get a ключ c\r\n');
    expect(textProtocol.capabilities.multiKeyGet).toEqual({ keys: 100, keyBytes: 16_384 - 'gets\r\n'.length });
  });

  it('sends nothing quiet: every request gets its reply', () => {
    expect(textProtocol.isQuiet({ op: Op.get, key: 'k', quiet: true })).toBe(false);
  });

  it('names what it cannot carry: a conditional delete, an initial counter value, metadata', () => {
    expect(textProtocol.refusal?.({ op: Op.delete, key: 'k', cas: 1n })).toMatch(/no conditional delete/);
    expect(textProtocol.refusal?.({ op: Op.incr, key: 'k', delta: 1n, initial: 0n })).toMatch(/no initial value/);
    expect(textProtocol.refusal?.({ op: Op.delete, key: 'k' })).toBeUndefined();
  });
});
