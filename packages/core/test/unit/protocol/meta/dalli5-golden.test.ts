import { describe, expect, it } from 'vitest';
import { type Command, Op } from '../../../../src/protocol/command.ts';
import { metaProtocol } from '../../../../src/protocol/meta/meta-protocol.ts';

function encoded(command: Command, opaque = 7): Buffer {
  const out = Buffer.alloc(metaProtocol.encodeBound(command));
  return out.subarray(0, metaProtocol.encode(command, opaque, out, 0));
}

/**
 * Golden request bytes: ours, and what Ruby Dalli 5's `Meta::RequestFormatter` (petergoldstein/dalli
 * lib/dalli/protocol/request_formatter.rb) writes for the same operation, as its methods build them.
 * The lines differ only in flags that shape the reply (which memcached reads and forgets); the
 * tokens that decide the stored item (key bytes, data, flags, TTL, mode, CAS, delta, initial
 * value) are the same, so both clients write and read the same items.
 */
const cafe = Buffer.from('café', 'utf8').toString('base64');
const vectors: { name: string; command: Command; ours: string; dalli5: string }[] = [
  // meta_get(key:) — we add k (the hit names its key) and O (replies matched by opaque).
  { name: 'get', command: { op: Op.get, key: 'foo' }, ours: 'mg foo v f k O7\r\n', dalli5: 'mg foo v f\r\n' },
  // multi_meta_get: Dalli matches by the k echo and asks for s; we match by O as well.
  {
    name: 'quiet get of a getMulti',
    command: { op: Op.get, key: 'foo', quiet: true },
    ours: 'mg foo v f k q O7\r\n',
    dalli5: 'mg foo v f k q s\r\n',
  },
  {
    name: 'gets (get with CAS)',
    command: { op: Op.gets, key: 'foo' },
    ours: 'mg foo v f c k O7\r\n',
    dalli5: 'mg foo v f c\r\n',
  },
  {
    name: 'gat',
    command: { op: Op.gat, key: 'foo', expiration: 60 },
    ours: 'mg foo v f k T60 O7\r\n',
    dalli5: 'mg foo v f T60\r\n',
  },
  {
    name: 'touch',
    command: { op: Op.touch, key: 'foo', expiration: 60 },
    ours: 'mg foo T60 O7\r\n',
    dalli5: 'mg foo T60\r\n',
  },
  // meta_set: Dalli asks for the new CAS (c) to return it; our set returns a boolean.
  {
    name: 'set',
    command: { op: Op.set, key: 'Hello', value: 'World', flags: 1, expiration: 3600 },
    ours: 'ms Hello 5 F1 T3600 MS O7\r\nWorld\r\n',
    dalli5: 'ms Hello 5 c F1 T3600 MS\r\nWorld\r\n',
  },
  {
    name: 'replace with CAS',
    command: { op: Op.replace, key: 'k', value: 'x', flags: 0, expiration: 0, cas: 42n },
    ours: 'ms k 1 F0 T0 C42 MR O7\r\nx\r\n',
    dalli5: 'ms k 1 c F0 C42 T0 MR\r\nx\r\n',
  },
  {
    name: 'add',
    command: { op: Op.add, key: 'k', value: 'x', flags: 2, expiration: 10 },
    ours: 'ms k 1 F2 T10 ME O7\r\nx\r\n',
    dalli5: 'ms k 1 c F2 T10 ME\r\nx\r\n',
  },
  // multi_meta_set keeps c even when quiet.
  {
    name: 'quiet set of a setMulti',
    command: { op: Op.set, key: 'k', value: 'v', flags: 0, expiration: 0, quiet: true },
    ours: 'ms k 1 F0 T0 MS O7 q\r\nv\r\n',
    dalli5: 'ms k 1 c F0 T0 MS q\r\nv\r\n',
  },
  {
    name: 'append',
    command: { op: Op.append, key: 'k', value: 'ab' },
    ours: 'ms k 2 MA O7\r\nab\r\n',
    dalli5: 'ms k 2 MA\r\nab\r\n',
  },
  { name: 'delete', command: { op: Op.delete, key: 'k' }, ours: 'md k O7\r\n', dalli5: 'md k\r\n' },
  {
    name: 'delete with CAS',
    command: { op: Op.delete, key: 'k', cas: 5n },
    ours: 'md k C5 O7\r\n',
    dalli5: 'md k C5\r\n',
  },
  {
    name: 'quiet delete',
    command: { op: Op.delete, key: 'k', quiet: true },
    ours: 'md k O7 q\r\n',
    dalli5: 'md k q\r\n',
  },
  {
    name: 'incr with an initial value',
    command: { op: Op.incr, key: 'n', delta: 5n, initial: 10n, expiration: 60 },
    ours: 'ma n v D5 N60 J10 MI O7\r\n',
    dalli5: 'ma n v D5 J10 N60 MI\r\n',
  },
  {
    name: 'decr',
    command: { op: Op.decr, key: 'n', delta: 1n },
    ours: 'ma n v D1 MD O7\r\n',
    dalli5: 'ma n v D1 MD\r\n',
  },
  // Dalli 5 sends a non-ASCII key base64-encoded with b; memcached decodes it to the same bytes.
  {
    name: 'get of a non-ASCII key',
    command: { op: Op.get, key: 'café' },
    ours: 'mg café v f k O7\r\n',
    dalli5: `mg ${cafe} b v f\r\n`,
  },
  { name: 'noop', command: { op: Op.noop }, ours: 'mn\r\n', dalli5: 'mn\r\n' },
  { name: 'version', command: { op: Op.version }, ours: 'version\r\n', dalli5: 'version\r\n' },
  { name: 'flush', command: { op: Op.flush, expiration: 0 }, ours: 'flush_all 0\r\n', dalli5: 'flush_all 0\r\n' },
  { name: 'stats', command: { op: Op.stats }, ours: 'stats\r\n', dalli5: 'stats\r\n' },
];

/** Flags that only shape the reply (memcached doc/protocol.txt): they do not touch the item. */
const REPLY_FLAGS = new Set(['v', 'f', 'c', 'k', 'q', 's', 't', 'h', 'l', 'O']);

/** What the request does to the item: command, key bytes, data length, item flags, then the data. */
function itemEffect(request: Buffer): string[] {
  const text = request.toString('utf8');
  const lineEnd = text.indexOf('\r\n');
  const [command, key, ...rest] = text.slice(0, lineEnd).split(' ');
  if (key === undefined) return [command as string];
  const base64 = rest.includes('b');
  const keyBytes = base64 ? Buffer.from(key, 'base64').toString('hex') : Buffer.from(key, 'utf8').toString('hex');
  const length = command === 'ms' ? [rest.shift() as string] : [];
  const item = rest.filter((token) => token !== 'b' && !REPLY_FLAGS.has(token[0] as string)).sort();
  return [command as string, keyBytes, ...length, ...item, text.slice(lineEnd + 2)];
}

describe('meta request bytes beside Ruby Dalli 5', () => {
  it.each(vectors)('$name: our bytes are exact', ({ command, ours }) => {
    expect(encoded(command).toString('hex')).toBe(Buffer.from(ours, 'utf8').toString('hex'));
  });

  it.each(vectors)('$name: the item it writes or reads is the one Dalli 5 addresses', ({ command, dalli5 }) => {
    expect(itemEffect(encoded(command))).toEqual(itemEffect(Buffer.from(dalli5, 'utf8')));
  });
});
