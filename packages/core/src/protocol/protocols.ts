import { binaryProtocol } from './binary/binary-protocol.ts';
import { metaProtocol } from './meta/meta-protocol.ts';
import { textProtocol } from './text/text-protocol.ts';
import type { Capability, ProtocolName, WireProtocol } from './wire-protocol.ts';

/** Every dialect the client speaks, by the name the `protocol` option takes. */
export const protocols: Readonly<Record<ProtocolName, WireProtocol>> = {
  binary: binaryProtocol,
  meta: metaProtocol,
  text: textProtocol,
};

/** The dialects that have `capability` (true, or defined), quoted for a message: `'binary' or 'meta'`. */
export function dialectsWith(capability: Capability | 'multiKeyGet'): string {
  const names = Object.values(protocols).filter((protocol) => Boolean(protocol.capabilities[capability]));
  return names.map((protocol) => `'${protocol.name}'`).join(' or ');
}

/** The one message for an operation the client's dialect cannot carry. */
export function needsCapability(operation: string, capability: Capability, speaking: WireProtocol): string {
  return `${operation} needs protocol ${dialectsWith(capability)}; this client speaks '${speaking.name}'`;
}
