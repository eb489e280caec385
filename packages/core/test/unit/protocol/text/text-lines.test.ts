import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameError } from '../../../../src/protocol/frame-error.ts';
import { LineReader } from '../../../../src/protocol/lines/line-reader.ts';
import type { Reply } from '../../../../src/protocol/reply.ts';
import { textGrammar } from '../../../../src/protocol/text/text-reply.ts';

function readAll(chunks: readonly Buffer[]): unknown[] {
  const replies: unknown[] = [];
  const reader = new LineReader(textGrammar(), 1 << 20, {
    onReply: (reply: Reply) =>
      replies.push([
        reply.status,
        reply.buffer.toString('utf8', reply.valueStart, reply.valueEnd),
        reply.flags,
        reply.cas,
        reply.counter,
        reply.key,
        reply.final,
      ]),
    onOversized: () => {},
  });
  for (const chunk of chunks) reader.push(chunk);
  expect(reader.midReply).toBe(false);
  return replies;
}

const stream = Buffer.from(
  'VALUE foo 3 5 77\r\nhello\r\nEND\r\nEND\r\nSTORED\r\nNOT_STORED\r\nEXISTS\r\nNOT_FOUND\r\nDELETED\r\n' +
    'TOUCHED\r\n42\r\nSTAT pid 9\r\nEND\r\nVERSION 1.6.18\r\nOK\r\nCLIENT_ERROR cannot increment or decrement non-numeric value\r\n',
);

describe('LineReader with the text grammar', () => {
  it('reads values with flags and CAS, every status word, counters and statistics', () => {
    expect(readAll([stream])).toEqual([
      ['ok', 'hello', 3, 77n, undefined, 'foo', false],
      ['notFound', '', 0, 0n, undefined, '', true],
      ['notFound', '', 0, 0n, undefined, '', true],
      ['ok', '', 0, 0n, undefined, '', true],
      ['notStored', '', 0, 0n, undefined, '', true],
      ['exists', '', 0, 0n, undefined, '', true],
      ['notFound', '', 0, 0n, undefined, '', true],
      ['ok', '', 0, 0n, undefined, '', true],
      ['ok', '', 0, 0n, undefined, '', true],
      ['ok', '', 0, 0n, 42n, '', true],
      ['ok', '', 0, 0n, undefined, 'pid', false],
      ['ok', '', 0, 0n, undefined, '', true],
      ['ok', '', 0, 0n, undefined, '', true],
      ['ok', '', 0, 0n, undefined, '', true],
      ['nonNumeric', '', 0, 0n, undefined, '', true],
    ]);
  });

  it('reads the same replies however the stream is split', () => {
    const whole = readAll([stream]);
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 12 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), stream.length];
        expect(readAll(points.slice(1).map((end, i) => stream.subarray(points[i], end)))).toEqual(whole);
      }),
    );
  });

  it('throws on a line no text server sends', () => {
    const reader = new LineReader(textGrammar(), 100, { onReply: () => {}, onOversized: () => {} });
    expect(() => reader.push(Buffer.from('HD O1\r\n'))).toThrow(FrameError);
  });
});
