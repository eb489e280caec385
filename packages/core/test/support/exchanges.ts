import type { OperationSpec } from '../../src/commands/operation.ts';
import { GET } from '../../src/commands/reads.ts';
import { decodeWrite, SET } from '../../src/commands/writes.ts';
import { OperationExchange } from '../../src/dispatch/operation-exchange.ts';
import type { DalliError } from '../../src/errors.ts';
import { type Command, Op } from '../../src/protocol/command.ts';
import type { Reply } from '../../src/protocol/reply.ts';
import type { Exchange } from '../../src/transport/exchange.ts';
import { zlibCompressor } from '../../src/values/compressor.ts';
import { jsonSerializer } from '../../src/values/serializer.ts';
import { ValueCodec } from '../../src/values/value-codec.ts';

const codec = new ValueCodec({
  serializer: jsonSerializer,
  compressor: zlibCompressor,
  compress: false,
  compressionMinSize: 4096,
  valueMaxBytes: 1 << 20,
  decompressedMaxBytes: 1 << 26,
});

/** Builds the exchange a client operation would send, for tests that drive a Connection directly. */
export function exchange<T>(
  spec: OperationSpec<T>,
  request: Command,
  options: { timeout?: number; signal?: AbortSignal } = {},
): OperationExchange<T> {
  return new OperationExchange(
    spec,
    'test-server',
    request,
    undefined,
    { codec, retrier: undefined },
    false,
    options.timeout,
    options.signal,
  );
}

export const getExchange = (
  key: string,
  options?: { timeout?: number; signal?: AbortSignal },
): OperationExchange<unknown> => exchange(GET, { op: Op.get, key }, options);

export const setExchange = (key: string, value: string): OperationExchange<boolean> =>
  exchange(SET, { op: Op.set, key, value: Buffer.from(JSON.stringify(value)), flags: 1 });

/** A quiet write (set, add) as a promise: true on memcached's silence, the decoded refusal otherwise. */
export class QuietWrite implements Exchange {
  readonly request: Command;
  readonly operation = 'quiet-test';
  readonly timeout = undefined;
  opaque = 0;
  deadline = 0;
  readonly promise: Promise<boolean>;
  #resolve!: (value: boolean) => void;
  #reject!: (error: DalliError) => void;

  constructor(op: typeof Op.set | typeof Op.add, key: string, value: string) {
    this.request = { op, key, value: Buffer.from(JSON.stringify(value)), flags: 1, quiet: true };
    this.promise = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  onResponse(reply: Reply): void {
    this.#resolve(decodeWrite(reply, { server: 'test-server', operation: this.operation }));
  }

  onSilence(): void {
    this.#resolve(true);
  }

  onFailure(error: DalliError): void {
    this.#reject(error);
  }
}
