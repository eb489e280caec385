import { HEADER_LENGTH } from '../../../../src/protocol/binary/index.ts';

export interface FrameSpec {
  opcode: number;
  status: number;
  opaque: number;
  cas: bigint;
  extras: Buffer;
  key: Buffer;
  value: Buffer;
}

/** Builds a response frame the way memcached would put it on the wire. */
export function responseBytes(spec: FrameSpec): Buffer {
  const bodyLength = spec.extras.length + spec.key.length + spec.value.length;
  const out = Buffer.alloc(HEADER_LENGTH + bodyLength);
  out[0] = 0x81;
  out[1] = spec.opcode;
  out.writeUInt16BE(spec.key.length, 2);
  out[4] = spec.extras.length;
  out.writeUInt16BE(spec.status, 6);
  out.writeUInt32BE(bodyLength, 8);
  out.writeUInt32BE(spec.opaque, 12);
  out.writeBigUInt64BE(spec.cas, 16);
  Buffer.concat([spec.extras, spec.key, spec.value]).copy(out, HEADER_LENGTH);
  return out;
}
