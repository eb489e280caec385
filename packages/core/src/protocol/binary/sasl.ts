import { Opcode } from './constants.ts';
import type { Request } from './request.ts';

/** The only mechanism memcached's binary protocol clients (Dalli included) use. */
export const SASL_PLAIN = 'PLAIN';

/** Asks the server which SASL mechanisms it offers (the reply value is a space-separated list). */
export function saslListMechsRequest(): Request {
  return { opcode: Opcode.saslListMechs };
}

/**
 * SASL PLAIN (RFC 4616): an empty authorization identity, then the user and password, each
 * preceded by a NUL byte. The password is only ever placed in this frame's value.
 */
export function saslPlainAuthRequest(username: string, password: string): Request {
  return { opcode: Opcode.saslAuth, key: SASL_PLAIN, value: saslPlainValue(username, password) };
}

/** The PLAIN message: `\0user\0password` as UTF-8. */
export function saslPlainValue(username: string, password: string): Buffer {
  return Buffer.from(`\0${username}\0${password}`, 'utf8');
}

/** Continues a multi-step mechanism; PLAIN never needs it, but the frame is part of the protocol. */
export function saslStepRequest(mechanism: string, data: Uint8Array): Request {
  return { opcode: Opcode.saslStep, key: mechanism, value: data };
}

/** Splits the SASL_LIST_MECHS reply ("PLAIN CRAM-MD5") into mechanism names. */
export function decodeMechanisms(text: string): string[] {
  return text.split(/\s+/).filter((name) => name.length > 0);
}
