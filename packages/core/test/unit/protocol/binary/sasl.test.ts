import { describe, expect, it } from 'vitest';
import {
  decodeMechanisms,
  encodeRequestToBuffer,
  saslListMechsRequest,
  saslPlainAuthRequest,
  saslStepRequest,
} from '../../../../src/protocol/binary/index.ts';
import { hex } from '../hex.ts';

describe('SASL frames', () => {
  it('encodes LIST MECHS as a bare header with opcode 0x20', () => {
    expect(encodeRequestToBuffer(saslListMechsRequest(), 1)).toEqual(
      hex('80 20 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00'),
    );
  });

  it('encodes PLAIN auth as mechanism key and NUL-separated credentials', () => {
    expect(encodeRequestToBuffer(saslPlainAuthRequest('u', 'pw'), 2)).toEqual(
      hex(`80 21 00 05 00 00 00 00 00 00 00 0a 00 00 00 02 00 00 00 00 00 00 00 00
           50 4c 41 49 4e | 00 75 00 70 77`),
    );
  });

  it('encodes a SASL step with opcode 0x22', () => {
    const frame = encodeRequestToBuffer(saslStepRequest('PLAIN', Buffer.from('x')), 3);
    expect(frame[1]).toBe(0x22);
    expect(frame.subarray(24)).toEqual(Buffer.from('PLAINx'));
  });

  it('splits the mechanism list on whitespace', () => {
    expect(decodeMechanisms('PLAIN CRAM-MD5 ')).toEqual(['PLAIN', 'CRAM-MD5']);
    expect(decodeMechanisms('')).toEqual([]);
  });
});
