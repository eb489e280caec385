import { decodeGet, decodeWrite } from '../../src/operations/decoders.ts';
import { type Decode, OperationExchange } from '../../src/operations/operation-exchange.ts';
import { Opcode, type Request } from '../../src/protocol/index.ts';
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
  request: Request,
  decode: Decode<T>,
  options: { timeout?: number; signal?: AbortSignal; silentResult?: T } = {},
): OperationExchange<T> {
  const built = new OperationExchange(
    'test',
    'test-server',
    request,
    decode,
    codec,
    false,
    options.timeout,
    options.signal,
  );
  built.silentResult = options.silentResult;
  return built;
}

export const getExchange = (
  key: string,
  options?: { timeout?: number; signal?: AbortSignal },
): OperationExchange<unknown> => exchange({ opcode: Opcode.get, key }, decodeGet, options);

export const setExchange = (key: string, value: string, opcode: Opcode = Opcode.set): OperationExchange<boolean> =>
  exchange({ opcode, key, value: Buffer.from(JSON.stringify(value)), flags: 1 }, decodeWrite, { silentResult: true });
