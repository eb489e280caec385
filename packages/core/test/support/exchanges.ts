import { decodeGet, decodeWrite } from '../../src/operations/decoders.ts';
import { type Decode, OperationExchange } from '../../src/operations/operation-exchange.ts';
import { Opcode, type Request } from '../../src/protocol/index.ts';
import { ValueCodec } from '../../src/values/value-codec.ts';

const codec = new ValueCodec();

/** Builds the exchange a client operation would send, for tests that drive a Connection directly. */
export function exchange<T>(
  request: Request,
  decode: Decode<T>,
  options: { timeout?: number; signal?: AbortSignal; silentResult?: T } = {},
): OperationExchange<T> {
  return new OperationExchange('test', 'test-server', request, decode, { ...options, context: codec });
}

export const getExchange = (
  key: string,
  options?: { timeout?: number; signal?: AbortSignal },
): OperationExchange<unknown> => exchange({ opcode: Opcode.get, key }, decodeGet, options);

export const setExchange = (key: string, value: string, opcode: Opcode = Opcode.set): OperationExchange<boolean> =>
  exchange({ opcode, key, value: Buffer.from(JSON.stringify(value)), flags: 1 }, decodeWrite, { silentResult: true });
