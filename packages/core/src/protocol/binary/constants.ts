/**
 * Constants of memcached's binary protocol, named as in the protocol document
 * (https://github.com/memcached/memcached/wiki/BinaryProtocolRevamped).
 */

/** Every frame starts with a 24-byte header. */
export const HEADER_LENGTH = 24;

export const Magic = {
  request: 0x80,
  response: 0x81,
} as const;

export const Opcode = {
  get: 0x00,
  set: 0x01,
  add: 0x02,
  replace: 0x03,
  delete: 0x04,
  increment: 0x05,
  decrement: 0x06,
  quit: 0x07,
  flush: 0x08,
  getq: 0x09,
  noop: 0x0a,
  version: 0x0b,
  getk: 0x0c,
  getkq: 0x0d,
  append: 0x0e,
  prepend: 0x0f,
  stat: 0x10,
  setq: 0x11,
  addq: 0x12,
  replaceq: 0x13,
  deleteq: 0x14,
  incrementq: 0x15,
  decrementq: 0x16,
  quitq: 0x17,
  flushq: 0x18,
  appendq: 0x19,
  prependq: 0x1a,
  touch: 0x1c,
  gat: 0x1d,
  gatq: 0x1e,
  saslListMechs: 0x20,
  saslAuth: 0x21,
  saslStep: 0x22,
  gatk: 0x23,
  gatkq: 0x24,
} as const;
export type Opcode = (typeof Opcode)[keyof typeof Opcode];

export const Status = {
  noError: 0x0000,
  keyNotFound: 0x0001,
  keyExists: 0x0002,
  valueTooLarge: 0x0003,
  invalidArguments: 0x0004,
  itemNotStored: 0x0005,
  nonNumericValue: 0x0006,
  wrongVbucket: 0x0007,
  authError: 0x0020,
  authContinue: 0x0021,
  unknownCommand: 0x0081,
  outOfMemory: 0x0082,
  notSupported: 0x0083,
  internalError: 0x0084,
  busy: 0x0085,
  temporaryFailure: 0x0086,
} as const;
export type Status = (typeof Status)[keyof typeof Status];

const statusNames: ReadonlyMap<number, string> = new Map(Object.entries(Status).map(([name, code]) => [code, name]));

/** The protocol's name for a status code, or its hex value when memcached sends one we do not know. */
export function statusName(status: number): string {
  return statusNames.get(status) ?? `0x${status.toString(16).padStart(4, '0')}`;
}

/**
 * Quiet opcodes get no response on success (or on a miss, for the get family); memcached only
 * answers them with an error. A later response on the same connection proves they completed.
 */
const quietOpcodes = new Uint8Array(256);
for (const opcode of [
  Opcode.getq,
  Opcode.getkq,
  Opcode.setq,
  Opcode.addq,
  Opcode.replaceq,
  Opcode.deleteq,
  Opcode.incrementq,
  Opcode.decrementq,
  Opcode.quitq,
  Opcode.flushq,
  Opcode.appendq,
  Opcode.prependq,
  Opcode.gatq,
  Opcode.gatkq,
]) {
  quietOpcodes[opcode] = 1;
}

export function isQuiet(opcode: number): boolean {
  return quietOpcodes[opcode] === 1;
}
