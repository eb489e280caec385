import { describe, expect, it } from 'vitest';
import { opcodeOf } from '../../../../src/protocol/binary/binary-protocol.ts';
import { encodeRequest, encodeRequestToBuffer, Opcode, requestLength } from '../../../../src/protocol/binary/index.ts';
import { Op } from '../../../../src/protocol/command.ts';
import { hex } from '../hex.ts';

// Vectors follow the examples of memcached's binary protocol document, byte for byte.
describe('encodeRequest', () => {
  it('encodes GET with the key and no extras', () => {
    expect(encodeRequestToBuffer({ opcode: Opcode.get, key: 'Hello' }, 0)).toEqual(
      hex(`80 00 00 05 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 00 00 00 00 00 | 48 65 6c 6c 6f`),
    );
  });

  it('encodes GETQ, GETK and GETKQ with their own opcodes', () => {
    for (const opcode of [Opcode.getq, Opcode.getk, Opcode.getkq]) {
      const frame = encodeRequestToBuffer({ opcode, key: 'k' }, 7);
      expect(frame[1]).toBe(opcode);
      expect(frame.length).toBe(25);
    }
  });

  it('encodes SET with flags and expiration extras before key and value', () => {
    const frame = encodeRequestToBuffer(
      { opcode: Opcode.set, key: 'Hello', value: Buffer.from('World'), flags: 0xdeadbeef, expiration: 0xe10 },
      0,
    );
    expect(frame).toEqual(
      hex(`80 01 00 05 08 00 00 00 00 00 00 12 00 00 00 00 00 00 00 00 00 00 00 00
           de ad be ef 00 00 0e 10 | 48 65 6c 6c 6f | 57 6f 72 6c 64`),
    );
  });

  it('uses the same store layout for ADD, REPLACE and their quiet forms', () => {
    for (const opcode of [Opcode.add, Opcode.addq, Opcode.replace, Opcode.replaceq, Opcode.setq]) {
      const frame = encodeRequestToBuffer({ opcode, key: 'a', value: Buffer.from('b'), flags: 1, expiration: 2 }, 0);
      expect(frame.subarray(4, 5)).toEqual(hex('08'));
      expect(frame.subarray(24)).toEqual(hex('00 00 00 01 00 00 00 02 61 62'));
    }
  });

  it('writes the CAS token big-endian in bytes 16 to 23', () => {
    const frame = encodeRequestToBuffer(
      { opcode: Opcode.set, key: 'k', value: Buffer.alloc(0), cas: 0x0102030405060708n },
      0,
    );
    expect(frame.subarray(16, 24)).toEqual(hex('01 02 03 04 05 06 07 08'));
  });

  it('writes the opaque big-endian in bytes 12 to 15', () => {
    const frame = encodeRequestToBuffer({ opcode: Opcode.noop }, 0xdeadbeef);
    expect(frame).toEqual(hex('80 0a 00 00 00 00 00 00 00 00 00 00 de ad be ef 00 00 00 00 00 00 00 00'));
  });

  it('encodes INCR with delta, initial and expiration extras', () => {
    const frame = encodeRequestToBuffer(
      { opcode: Opcode.increment, key: 'counter', delta: 1n, initial: 0n, expiration: 0xe10 },
      0,
    );
    expect(frame).toEqual(
      hex(`80 05 00 07 14 00 00 00 00 00 00 1b 00 00 00 00 00 00 00 00 00 00 00 00
           00 00 00 00 00 00 00 01 | 00 00 00 00 00 00 00 00 | 00 00 0e 10 | 63 6f 75 6e 74 65 72`),
    );
  });

  it('encodes DECR with a 64-bit delta and initial value and the miss marker expiration', () => {
    const frame = encodeRequestToBuffer(
      { opcode: Opcode.decrement, key: 'c', delta: 0xffffffffffffffffn, initial: 0x100000000n, expiration: 0xffffffff },
      0,
    );
    expect(frame.subarray(24)).toEqual(hex('ff ff ff ff ff ff ff ff | 00 00 00 01 00 00 00 00 | ff ff ff ff | 63'));
    expect(frame[1]).toBe(0x06);
  });

  it('encodes DELETE with only the key', () => {
    expect(encodeRequestToBuffer({ opcode: Opcode.delete, key: 'Hello' }, 0)).toEqual(
      hex('80 04 00 05 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 00 00 00 00 00 48 65 6c 6c 6f'),
    );
  });

  it('encodes APPEND and PREPEND with key and value and no extras', () => {
    for (const opcode of [Opcode.append, Opcode.prepend, Opcode.appendq, Opcode.prependq]) {
      const frame = encodeRequestToBuffer({ opcode, key: 'k', value: Buffer.from('!') }, 0);
      expect(frame.subarray(0, 12)).toEqual(Buffer.from([0x80, opcode, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]));
      expect(frame.subarray(24)).toEqual(Buffer.from('k!'));
    }
  });

  it('encodes TOUCH, GAT and GATQ with a 4-byte expiration', () => {
    for (const opcode of [Opcode.touch, Opcode.gat, Opcode.gatq, Opcode.gatk, Opcode.gatkq]) {
      const frame = encodeRequestToBuffer({ opcode, key: 'Hello', expiration: 10 }, 0);
      expect(frame.subarray(0, 12)).toEqual(Buffer.from([0x80, opcode, 0, 5, 4, 0, 0, 0, 0, 0, 0, 9]));
      expect(frame.subarray(24)).toEqual(hex('00 00 00 0a 48 65 6c 6c 6f'));
    }
  });

  it('encodes FLUSH with its delay in the extras', () => {
    expect(encodeRequestToBuffer({ opcode: Opcode.flush, expiration: 0xe10 }, 0)).toEqual(
      hex('80 08 00 00 04 00 00 00 00 00 00 04 00 00 00 00 00 00 00 00 00 00 00 00 00 00 0e 10'),
    );
  });

  it('encodes NOOP, VERSION and QUIT as bare headers', () => {
    for (const opcode of [Opcode.noop, Opcode.version, Opcode.quit, Opcode.quitq]) {
      const frame = encodeRequestToBuffer({ opcode }, 0);
      expect(frame).toEqual(Buffer.concat([Buffer.from([0x80, opcode]), Buffer.alloc(22)]));
    }
  });

  it('encodes STAT with an optional group name as the key', () => {
    expect(encodeRequestToBuffer({ opcode: Opcode.stat }, 0)).toEqual(
      Buffer.concat([Buffer.from([0x80, 0x10]), Buffer.alloc(22)]),
    );
    expect(encodeRequestToBuffer({ opcode: Opcode.stat, key: 'items' }, 0)).toEqual(
      hex('80 10 00 05 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 00 00 00 00 00 69 74 65 6d 73'),
    );
  });

  it('counts key length in UTF-8 bytes, not characters', () => {
    const frame = encodeRequestToBuffer({ opcode: Opcode.get, key: 'ключ' }, 0);
    expect(frame.readUInt16BE(2)).toBe(8);
    expect(frame.readUInt32BE(8)).toBe(8);
    expect(frame.subarray(24).toString('utf8')).toBe('ключ');
  });

  it('writes at an offset and returns the end, leaving the bytes around it alone', () => {
    const out = Buffer.alloc(40, 0xaa);
    const request = { opcode: Opcode.get, key: 'ab' } as const;
    const end = encodeRequest(request, 3, out, 5);
    expect(end).toBe(5 + requestLength(request));
    expect(out.subarray(0, 5)).toEqual(Buffer.alloc(5, 0xaa));
    expect(out.subarray(end)).toEqual(Buffer.alloc(40 - end, 0xaa));
    expect(out.subarray(5, end)).toEqual(encodeRequestToBuffer(request, 3));
  });
});

describe('binary opcodes of ops', () => {
  it('sends gats as GATK: its reply carries the key and, in the header, the CAS token', () => {
    expect(opcodeOf({ op: Op.gats, key: 'k', expiration: 60 })).toBe(Opcode.gatk);
  });

  it('has no opcode for casOf (a read of the CAS alone is meta only)', () => {
    expect(() => opcodeOf({ op: Op.casOf, key: 'k' })).toThrow(RangeError);
  });
});
