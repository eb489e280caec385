import { binaryProtocol } from './binary/binary-protocol.ts';
import { metaProtocol } from './meta/meta-protocol.ts';
import { textProtocol } from './text/text-protocol.ts';
import type { ProtocolName, WireProtocol } from './wire-protocol.ts';

/** Every dialect the client speaks, by the name the `protocol` option takes. */
export const protocols: Readonly<Partial<Record<ProtocolName, WireProtocol>>> = {
  binary: binaryProtocol,
  meta: metaProtocol,
  text: textProtocol,
};
