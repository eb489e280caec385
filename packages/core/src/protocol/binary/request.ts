import { type Command, checkedUint32, valueByteLength } from '../command.ts';
import { HEADER_LENGTH, Magic, Opcode } from './constants.ts';

/** The fields a frame carries besides its opcode: a {@link Command}'s, by design. */
export type RequestFields = Omit<Command, 'op' | 'quiet'>;

/**
 * One binary-protocol request, before it has an opaque. Which fields are read depends on the
 * opcode's extras layout (see {@link extrasLength}); the rest are ignored.
 */
export interface Request extends RequestFields {
  readonly opcode: Opcode;
  /** Sent as UTF-8. The caller has already checked its length. */
  readonly key?: string | undefined;
  /** Bytes, or text sent as UTF-8 (written straight into the output, with no Buffer in between). */
  readonly value?: Uint8Array | string | undefined;
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

/** The counter expiration that tells memcached to fail on a miss rather than create the item. */
const NO_INITIAL_VALUE = 0xffffffff;

/** Bytes of extras the protocol requires for this opcode's requests. */
export function extrasLength(opcode: Opcode): number {
  return extrasLengths[extrasLayout[opcode] as Extras];
}

/** Total bytes {@link encodeRequest} writes for this request. */
export function requestLength(request: Request): number {
  const keyLength = request.key === undefined ? 0 : Buffer.byteLength(request.key, 'utf8');
  return HEADER_LENGTH + extrasLength(request.opcode) + keyLength + valueByteLength(request);
}

/**
 * Bytes {@link encodeRequest} may write for this request, at most: the key counted at 3 bytes per
 * UTF-16 unit, its UTF-8 worst case. Cheaper than measuring the key, for reserving room.
 */
export function requestLengthBound(request: Request): number {
  return frameLengthBound(request.opcode, request);
}

/** {@link requestLengthBound} for the fields of a frame with this opcode. */
export function frameLengthBound(opcode: Opcode, fields: RequestFields): number {
  const keyBound = fields.key === undefined ? 0 : fields.key.length * 3;
  const value = fields.value;
  const valueBound = value === undefined ? 0 : typeof value === 'string' ? value.length * 3 : value.length;
  return HEADER_LENGTH + extrasLength(opcode) + keyBound + valueBound;
}

/**
 * Writes `request` into `out` at `at` and returns the offset just past it. The caller guarantees
 * `requestLengthBound(request)` bytes of room. Every multi-byte field is big-endian.
 */
export function encodeRequest(request: Request, opaque: number, out: Buffer, at: number): number {
  return encodeFrame(request.opcode, request, opaque, out, at);
}

/** {@link encodeRequest} for the fields of a frame with this opcode (a command's, without a copy). */
export function encodeFrame(opcode: Opcode, request: RequestFields, opaque: number, out: Buffer, at: number): number {
  const layout = extrasLayout[opcode] as Extras;
  const extras = extrasLengths[layout];
  const keyAt = at + HEADER_LENGTH + extras;
  const keyLength = request.key === undefined ? 0 : writeKey(request.key, out, keyAt);
  const valueLength = writeValue(request.value, out, keyAt + keyLength);

  // Byte by byte: Buffer#writeUInt32BE's argument checks cost more than the writes themselves.
  out[at] = Magic.request;
  out[at + 1] = opcode;
  out[at + 2] = keyLength >>> 8;
  out[at + 3] = keyLength & 0xff;
  out[at + 4] = extras;
  out[at + 5] = 0; // data type: raw bytes
  out[at + 6] = 0; // vbucket id
  out[at + 7] = 0;
  writeUint32(out, at + 8, extras + keyLength + valueLength);
  writeUint32(out, at + 12, opaque >>> 0);
  if (request.cas === undefined || request.cas === 0n) {
    writeUint32(out, at + 16, 0);
    writeUint32(out, at + 20, 0);
  } else {
    out.writeBigUInt64BE(request.cas, at + 16);
  }
  writeExtras(layout, request, out, at + HEADER_LENGTH);
  return keyAt + keyLength + valueLength;
}

function writeUint32(out: Buffer, at: number, value: number): void {
  out[at] = value >>> 24;
  out[at + 1] = (value >>> 16) & 0xff;
  out[at + 2] = (value >>> 8) & 0xff;
  out[at + 3] = value & 0xff;
}

/** Writes the value (bytes as they are, text as UTF-8) and returns its length. */
function writeValue(value: Uint8Array | string | undefined, out: Buffer, at: number): number {
  if (value === undefined) return 0;
  if (typeof value === 'string') return out.write(value, at, 'utf8');
  out.set(value, at);
  return value.length;
}

/** Writes the key as UTF-8 and returns its length: short ASCII keys by hand, the rest by Buffer#write. */
function writeKey(key: string, out: Buffer, at: number): number {
  const length = key.length;
  if (length > 64) return out.write(key, at, 'utf8');
  for (let i = 0; i < length; i++) {
    const code = key.charCodeAt(i);
    if (code >= 0x80) return out.write(key, at, 'utf8');
    out[at + i] = code;
  }
  return length;
}

function writeExtras(layout: Extras, request: RequestFields, out: Buffer, at: number): void {
  switch (layout) {
    case Extras.none:
      return;
    case Extras.store:
      writeUint32(out, at, checkedUint32(request.flags ?? 0, 'flags'));
      writeUint32(out, at + 4, checkedUint32(request.expiration ?? 0, 'expiration'));
      return;
    case Extras.counter:
      out.writeBigUInt64BE(request.delta ?? 0n, at);
      out.writeBigUInt64BE(request.initial ?? 0n, at + 8);
      // Without an initial value, memcached's "fail on a miss" expiration.
      writeUint32(
        out,
        at + 16,
        request.initial === undefined ? NO_INITIAL_VALUE : checkedUint32(request.expiration ?? 0, 'expiration'),
      );
      return;
    case Extras.expiration:
      writeUint32(out, at, checkedUint32(request.expiration ?? 0, 'expiration'));
      return;
    default:
      // Every layout has a case: a new one does not compile until it is written here.
      layout satisfies never;
  }
}

/** Encodes one request into a buffer of its own; for tests and one-off frames. */
export function encodeRequestToBuffer(request: Request, opaque: number): Buffer {
  const out = Buffer.allocUnsafe(requestLengthBound(request));
  return out.subarray(0, encodeRequest(request, opaque, out, 0));
}
