import { type ItemMetadata, type Reply, ReplyStatus } from '../reply.ts';
import { HEADER_LENGTH, Status } from './constants.ts';
import {
  isFinalFrame,
  type ResponseFrame,
  responseCas,
  responseCounter,
  responseFlags,
  responseKey,
  responseText,
} from './response.ts';

/** Binary status codes in the protocol-neutral words the commands read. */
const neutralStatus: ReadonlyMap<number, ReplyStatus> = new Map<number, ReplyStatus>([
  [Status.noError, ReplyStatus.ok],
  [Status.keyNotFound, ReplyStatus.notFound],
  [Status.keyExists, ReplyStatus.exists],
  [Status.valueTooLarge, ReplyStatus.tooLarge],
  [Status.invalidArguments, ReplyStatus.invalidArguments],
  [Status.itemNotStored, ReplyStatus.notStored],
  [Status.nonNumericValue, ReplyStatus.nonNumeric],
  [Status.authError, ReplyStatus.authError],
  [Status.unknownCommand, ReplyStatus.unknownCommand],
  [Status.outOfMemory, ReplyStatus.outOfMemory],
  [Status.notSupported, ReplyStatus.notSupported],
  [Status.busy, ReplyStatus.busy],
  [Status.temporaryFailure, ReplyStatus.temporaryFailure],
]);

/**
 * One response frame, as the connection and the commands read it. Numeric header fields are
 * decoded; the body stays in `buffer` (from `offset`) and is read only when asked for.
 */
export class BinaryReply implements ResponseFrame, Reply {
  readonly opcode: number;
  readonly statusCode: number;
  readonly opaque: number;
  readonly extrasLength: number;
  readonly keyLength: number;
  readonly bodyLength: number;
  readonly buffer: Buffer;
  readonly offset: number;

  // Positional parameters rather than an options bag: this runs once per reply.
  constructor(
    opcode: number,
    statusCode: number,
    opaque: number,
    extrasLength: number,
    keyLength: number,
    bodyLength: number,
    buffer: Buffer,
    offset: number,
  ) {
    this.opcode = opcode;
    this.statusCode = statusCode;
    this.opaque = opaque;
    this.extrasLength = extrasLength;
    this.keyLength = keyLength;
    this.bodyLength = bodyLength;
    this.buffer = buffer;
    this.offset = offset;
  }

  get status(): ReplyStatus {
    return this.statusCode === Status.noError
      ? ReplyStatus.ok
      : (neutralStatus.get(this.statusCode) ?? ReplyStatus.serverError);
  }

  get valueStart(): number {
    return this.offset + HEADER_LENGTH + this.extrasLength + this.keyLength;
  }

  get valueEnd(): number {
    return this.offset + HEADER_LENGTH + this.bodyLength;
  }

  get flags(): number {
    return responseFlags(this);
  }

  get cas(): bigint {
    return responseCas(this);
  }

  get counter(): bigint | undefined {
    return responseCounter(this);
  }

  get text(): string {
    return responseText(this);
  }

  get key(): string {
    return responseKey(this).toString('utf8');
  }

  get final(): boolean {
    return isFinalFrame(this);
  }

  get metadata(): ItemMetadata | undefined {
    return undefined;
  }

  /** Compares the key bytes with `wireKey` without decoding them (ASCII fast path). */
  keyIs(wireKey: string): boolean {
    const { buffer, keyLength } = this;
    const start = this.offset + HEADER_LENGTH + this.extrasLength;
    if (keyLength !== wireKey.length) return this.key === wireKey;
    for (let i = 0; i < keyLength; i++) {
      const code = wireKey.charCodeAt(i);
      if (code >= 0x80) return this.key === wireKey;
      if (buffer[start + i] !== code) return false;
    }
    return true;
  }
}
