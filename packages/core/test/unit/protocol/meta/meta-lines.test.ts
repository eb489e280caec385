import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameError } from '../../../../src/protocol/frame-error.ts';
import { LineReader } from '../../../../src/protocol/lines/line-reader.ts';
import { type MetaReply, metaGrammar } from '../../../../src/protocol/meta/meta-reply.ts';
import type { Reply } from '../../../../src/protocol/reply.ts';

interface Seen {
  status: string;
  opaque: number | undefined;
  value: string;
  flags: number;
  key: string;
  final: boolean;
}

function snapshot(reply: Reply): Seen {
  return {
    status: reply.status,
    opaque: (reply as MetaReply).opaque,
    value: reply.buffer.toString('utf8', reply.valueStart, reply.valueEnd),
    flags: reply.flags,
    key: reply.key,
    final: reply.final,
  };
}

function readAll(chunks: readonly Buffer[], maxValueLength = 1 << 20): { replies: Seen[]; oversized: number[] } {
  const replies: Seen[] = [];
  const oversized: number[] = [];
  const reader = new LineReader(metaGrammar, maxValueLength, {
    onReply: (reply) => replies.push(snapshot(reply)),
    onOversized: (_reply, length) => oversized.push(length),
  });
  for (const chunk of chunks) reader.push(chunk);
  expect(reader.midReply).toBe(false);
  return { replies, oversized };
}

// Replies as memcached 1.6.18 sent them in a recorded session.
const stream = Buffer.from(
  'VA 5 f3 c9 kfoo O1\r\nhello\r\nEN O2\r\nHD O3\r\nVA 0 f0 O4\r\n\r\nNS O5\r\nMN\r\n' +
    'STAT pid 42\r\nSTAT uptime 7\r\nEND\r\nVERSION 1.6.18\r\nOK\r\nCLIENT_ERROR bad data chunk\r\n',
);

describe('LineReader with the meta grammar', () => {
  it('reads values, return codes, flags, statistics and text lines', () => {
    const { replies } = readAll([stream]);
    expect(replies.map((r) => [r.status, r.opaque, r.value, r.final])).toEqual([
      ['ok', 1, 'hello', true],
      ['notFound', 2, '', true],
      ['ok', 3, '', true],
      ['ok', 4, '', true],
      ['notStored', 5, '', true],
      ['ok', undefined, '', true],
      ['ok', undefined, '', false],
      ['ok', undefined, '', false],
      ['ok', undefined, '', true],
      ['ok', undefined, '', true],
      ['ok', undefined, '', true],
      ['invalidArguments', undefined, '', true],
    ]);
    expect(replies[0]).toMatchObject({ flags: 3, key: 'foo' });
    expect(replies[6]).toMatchObject({ key: 'pid' });
  });

  it('reads the same replies however the stream is split', () => {
    const whole = readAll([stream]).replies;
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
        const chunks = points.slice(1).map((end, i) => stream.subarray(points[i], end));
        expect(readAll(chunks).replies).toEqual(whole);
      }),
    );
  });

  it('reads the same replies when fed one byte at a time', () => {
    const bytes = [...stream].map((byte) => Buffer.from([byte]));
    expect(readAll(bytes).replies).toEqual(readAll([stream]).replies);
  });

  it('skips a value over the limit unbuffered, reports its length, and stays in step', () => {
    const big = Buffer.from(`VA 20 O1\r\n${'x'.repeat(20)}\r\nHD O2\r\n`);
    for (const chunks of [[big], [big.subarray(0, 12), big.subarray(12)]]) {
      const { replies, oversized } = readAll(chunks, 10);
      expect(oversized).toEqual([20]);
      expect(replies.map((r) => r.opaque)).toEqual([2]);
    }
  });

  it('reads the CAS, TTL, hit-before and last-access flags', () => {
    let seen: Reply | undefined;
    new LineReader(metaGrammar, 100, { onReply: (reply) => (seen = reply), onOversized: () => {} }).push(
      Buffer.from('VA 1 f0 c18446744073709551615 t-1 h1 l30 O9\r\nx\r\n'),
    );
    expect(seen?.cas).toBe(18446744073709551615n);
    expect(seen?.metadata).toEqual({ cas: 18446744073709551615n, ttl: -1, hitBefore: true, lastAccess: 30 });
  });

  it('throws on garbage: a binary frame, a value without its CRLF, an endless line', () => {
    const read = (bytes: Buffer) => () =>
      new LineReader(metaGrammar, 100, { onReply: () => {}, onOversized: () => {} }).push(bytes);
    expect(read(Buffer.from([0x81, 0, 0, 0, 13, 10]))).toThrow(FrameError);
    expect(read(Buffer.from('VA 2 O1\r\nabc\r\n'))).toThrow(/not ended by CRLF/);
    expect(read(Buffer.alloc(9000, 0x41))).toThrow(/no end/);
  });
});
