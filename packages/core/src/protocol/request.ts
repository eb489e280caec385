import { HEADER_LENGTH, Magic, Opcode } from './constants.ts';

/**
 * One binary-protocol request, before it has an opaque. Which fields are read depends on the
 * opcode's extras layout (see {@link extrasLength}); the rest are ignored.
 */
export interface Request {
  readonly opcode: Opcode;
  /** Sent as UTF-8. The caller has already checked its length. */
  readonly key?: string | undefined;
  readonly value?: Uint8Array | undefined;
  /** Store family: the 32-bit flags word memcached keeps beside the value. */
  readonly flags?: number | undefined;
  /** Store, counter, touch, gat and flush families: seconds, or a Unix time (32 bits). */
  readonly expiration?: number | undefined;
  /** Counter family: amount to add or subtract (64 bits). */
  readonly delta?: bigint | undefined;
  /** Counter family: value to create a missing item with (64 bits). */
  readonly initial?: bigint | undefined;
  /** Compare-and-swap token; 0 (or absent) means "any version". */
  readonly cas?: bigint | undefined;
}

const Extras = {
  none: 0,
  /** flags u32, expiration u32 */
  store: 1,
  /** delta u64, initial u64, expiration u32 */
  counter: 2,
  /** expiration u32 (touch, gat, flush delay) */
  expiration: 3,
} as const;
type Extras = (typeof Extras)[keyof typeof Extras];

const extrasLayout = new Uint8Array(256);
for (const op of [Opcode.set, Opcode.setq, Opcode.add, Opcode.addq, Opcode.replace, Opcode.replaceq]) {
  extrasLayout[op] = Extras.store;
}
for (const op of [Opcode.increment, Opcode.incrementq, Opcode.decrement, Opcode.decrementq]) {
  extrasLayout[op] = Extras.counter;
}
for (const op of [Opcode.touch, Opcode.gat, Opcode.gatq, Opcode.gatk, Opcode.gatkq, Opcode.flush, Opcode.flushq]) {
  extrasLayout[op] = Extras.expiration;
}
const extrasLengths = [0, 8, 20, 4] as const;

/** Bytes of extras the protocol requires for this opcode's requests. */
export function extrasLength(opcode: Opcode): number {
  return extrasLengths[extrasLayout[opcode] as Extras];
}

/** Total bytes {@link encodeRequest} writes for this request. */
export function requestLength(request: Request): number {
  const keyLength = request.key === undefined ? 0 : Buffer.byteLength(request.key, 'utf8');
  return HEADER_LENGTH + extrasLength(request.opcode) + keyLength + (request.value?.length ?? 0);
}

/**
 * Writes `request` into `out` at `at` and returns the offset just past it. The caller guarantees
 * `requestLength(request)` bytes of room. Every multi-byte field is big-endian.
 */
export function encodeRequest(request: Request, opaque: number, out: Buffer, at: number): number {
  const layout = extrasLayout[request.opcode] as Extras;
  const extras = extrasLengths[layout];
  const keyAt = at + HEADER_LENGTH + extras;
  const keyLength = request.key === undefined ? 0 : out.write(request.key, keyAt, 'utf8');
  const value = request.value;
  const valueLength = value === undefined ? 0 : value.length;
  if (value !== undefined) out.set(value, keyAt + keyLength);

  out[at] = Magic.request;
  out[at + 1] = request.opcode;
  out.writeUInt16BE(keyLength, at + 2);
  out[at + 4] = extras;
  out[at + 5] = 0; // data type: raw bytes
  out.writeUInt16BE(0, at + 6); // vbucket id
  out.writeUInt32BE(extras + keyLength + valueLength, at + 8);
  out.writeUInt32BE(opaque >>> 0, at + 12);
  if (request.cas === undefined || request.cas === 0n) {
    out.writeUInt32BE(0, at + 16);
    out.writeUInt32BE(0, at + 20);
  } else {
    out.writeBigUInt64BE(request.cas, at + 16);
  }
  writeExtras(layout, request, out, at + HEADER_LENGTH);
  return keyAt + keyLength + valueLength;
}

function writeExtras(layout: Extras, request: Request, out: Buffer, at: number): void {
  switch (layout) {
    case Extras.none:
      return;
    case Extras.store:
      out.writeUInt32BE(request.flags ?? 0, at);
      out.writeUInt32BE(request.expiration ?? 0, at + 4);
      return;
    case Extras.counter:
      out.writeBigUInt64BE(request.delta ?? 0n, at);
      out.writeBigUInt64BE(request.initial ?? 0n, at + 8);
      out.writeUInt32BE(request.expiration ?? 0, at + 16);
      return;
    case Extras.expiration:
      out.writeUInt32BE(request.expiration ?? 0, at);
      return;
  }
}

/** Encodes one request into a buffer of its own; for tests and one-off frames. */
export function encodeRequestToBuffer(request: Request, opaque: number): Buffer {
  const out = Buffer.allocUnsafe(requestLength(request));
  encodeRequest(request, opaque, out, 0);
  return out;
}
