import { InvalidArgumentError } from '../errors.ts';
import { Flag, KNOWN_FLAGS } from './flags.ts';

/** A value as it goes over the wire: its bytes and the flags word stored beside them. */
export interface EncodedValue {
  readonly bytes: Buffer;
  readonly flags: number;
}

/**
 * Turns values into bytes and flags and back. Buffers are stored as they are (flags 0); anything
 * else is serialized as JSON with the serialized flag, as Dalli does with its JSON serializer.
 */
export class ValueCodec {
  encode(value: unknown, operation: string): EncodedValue {
    if (Buffer.isBuffer(value)) return { bytes: value, flags: 0 };
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch (cause) {
      throw new InvalidArgumentError('the value cannot be serialized as JSON', { operation, cause });
    }
    if (json === undefined) {
      throw new InvalidArgumentError(`a value of type ${typeof value} cannot be serialized as JSON`, { operation });
    }
    return { bytes: Buffer.from(json, 'utf8'), flags: Flag.serialized };
  }

  /** Reads `bytes` (a view of the socket chunk) per `flags`; raw bytes are copied so the chunk can go. */
  decode(bytes: Buffer, flags: number): unknown {
    if ((flags & ~KNOWN_FLAGS) !== 0) return Buffer.from(bytes);
    if ((flags & Flag.serialized) !== 0) return JSON.parse(bytes.toString('utf8'));
    return bytes.toString('utf8');
  }
}
