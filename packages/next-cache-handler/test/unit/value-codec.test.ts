import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from '../../src/value-codec.ts';

describe('value codec', () => {
  it('round-trips an App Router page: its RSC Buffer and its Map of segment Buffers', () => {
    const page = {
      kind: 'APP_PAGE',
      html: '<html>…</html>',
      rscData: Buffer.from([0, 1, 2, 255]),
      headers: { 'x-next-cache-tags': 'a,b' },
      postponed: undefined,
      status: 200,
      segmentData: new Map([['/_tree', Buffer.from('tree')]]),
    };
    const back = decodeValue(encodeValue(page)) as typeof page;
    expect(Buffer.isBuffer(back.rscData)).toBe(true);
    expect(back.rscData).toEqual(page.rscData);
    expect(back.segmentData).toBeInstanceOf(Map);
    expect(back.segmentData.get('/_tree')).toEqual(Buffer.from('tree'));
    expect(back).toEqual({ ...page, postponed: undefined });
  });

  it('stores bytes as base64, not as arrays of numbers', () => {
    expect(encodeValue({ body: Buffer.alloc(300, 7) }).length).toBeLessThan(450);
  });

  it('round-trips any bytes and any JSON around them', () => {
    fc.assert(
      fc.property(fc.uint8Array(), fc.jsonValue(), (bytes, json) => {
        const back = decodeValue(encodeValue({ json, bytes: Buffer.from(bytes) })) as { json: unknown; bytes: Buffer };
        expect(back.bytes.equals(Buffer.from(bytes))).toBe(true);
        expect(back.json).toEqual(JSON.parse(JSON.stringify(json)));
      }),
      { numRuns: 200 },
    );
  });
});
