import { describe, expect, it } from 'vitest';
import { isLeaseStub } from '../../../../src/commands/leases.ts';
import { type Command, Op } from '../../../../src/protocol/command.ts';
import { LineReader } from '../../../../src/protocol/lines/line-reader.ts';
import { metaProtocol } from '../../../../src/protocol/meta/meta-protocol.ts';
import { metaGrammar } from '../../../../src/protocol/meta/meta-reply.ts';
import { LeaseFlag, type Reply } from '../../../../src/protocol/reply.ts';

function encoded(command: Command, opaque = 7): string {
  const out = Buffer.alloc(metaProtocol.encodeBound(command));
  return out.toString('utf8', 0, metaProtocol.encode(command, opaque, out, 0));
}

/** Parses `wire` split at every byte boundary and returns the replies of the last split. */
function repliesOf(wire: string): Reply[] {
  const bytes = Buffer.from(wire, 'latin1');
  let replies: Reply[] = [];
  for (let split = 0; split <= bytes.length; split++) {
    replies = [];
    const reader = new LineReader(metaGrammar, 1 << 20, {
      onReply: (reply) => replies.push(reply),
      onOversized: () => {},
    });
    reader.push(Buffer.from(bytes.subarray(0, split)));
    reader.push(Buffer.from(bytes.subarray(split)));
  }
  return replies;
}

describe('meta lease requests (flags memcached 1.6.18 knows)', () => {
  it('a lease read asks for value, flags, CAS and TTL left, with N<lockTtl>', () => {
    expect(encoded({ op: Op.leaseGet, key: 'k', expiration: 10 })).toBe('mg k v f c t N10 O7\r\n');
  });

  it('without a lockTtl no N: a miss stays a miss (no stub), stale and recache flags still come', () => {
    expect(encoded({ op: Op.leaseGet, key: 'k' })).toBe('mg k v f c t O7\r\n');
    expect(encoded({ op: Op.leaseGet, key: 'k', recache: 30 })).toBe('mg k v f c t R30 O7\r\n');
  });

  it('refreshAhead adds R<seconds>', () => {
    expect(encoded({ op: Op.leaseGet, key: 'k', expiration: 10, recache: 30 })).toBe('mg k v f c t N10 R30 O7\r\n');
  });

  it('invalidate is md with I, and T<grace> when a grace is given', () => {
    expect(encoded({ op: Op.invalidate, key: 'k', expiration: 30 })).toBe('md k I T30 O7\r\n');
    expect(encoded({ op: Op.invalidate, key: 'k' })).toBe('md k I O7\r\n');
  });
});

// Replies as memcached 1.6.18 sent them (recorded with the commands above).
describe('meta lease reply flags', () => {
  it('the vivified stub: empty, flags 0, W for its creator and Z for the next reader', () => {
    const [won, lost] = repliesOf('VA 0 f0 c1 t-1 O1 W\r\n\r\nVA 0 f0 c1 t30 O2 Z\r\n\r\n');
    expect(won?.leaseFlags).toBe(LeaseFlag.win);
    expect(lost?.leaseFlags).toBe(LeaseFlag.alreadyWon);
    expect(won && isLeaseStub(won)).toBe(true);
    expect(lost && isLeaseStub(lost)).toBe(true);
  });

  it('a stale item: X with W for the first reader, Z X for the others; its value is not a stub', () => {
    const [first, other] = repliesOf('VA 2 f0 c3 t30 O7 X W\r\nv1\r\nVA 2 f0 c3 t30 O8 Z X\r\nv1\r\n');
    expect(first?.leaseFlags).toBe(LeaseFlag.win | LeaseFlag.stale);
    expect(other?.leaseFlags).toBe(LeaseFlag.alreadyWon | LeaseFlag.stale);
    expect(first && isLeaseStub(first)).toBe(false);
    expect(first?.cas).toBe(3n);
  });

  it('an empty value without a lease flag is a value, not a stub', () => {
    const [reply] = repliesOf('VA 0 f0 c9 O1\r\n\r\n');
    expect(reply?.leaseFlags).toBe(0);
    expect(reply && isLeaseStub(reply)).toBe(false);
  });
});
