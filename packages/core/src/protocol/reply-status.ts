/**
 * What a server answered, in no dialect's words: the binary status codes, the meta return codes
 * (`HD`, `EN`, `NS`, …) and the text replies (`STORED`, `NOT_FOUND`, …) all map onto these.
 */
export const ReplyStatus = {
  ok: 'ok',
  /** A miss, or the item to change is absent. */
  notFound: 'notFound',
  /** The CAS token no longer matches (or add found the item there). */
  exists: 'exists',
  /** A conditional write was refused (add, replace, append, prepend). */
  notStored: 'notStored',
  tooLarge: 'tooLarge',
  invalidArguments: 'invalidArguments',
  /** incr/decr on a value that is not a decimal number. */
  nonNumeric: 'nonNumeric',
  /** Authentication refused or required. */
  authError: 'authError',
  /** The server does not know the command (or refuses this dialect). */
  unknownCommand: 'unknownCommand',
  outOfMemory: 'outOfMemory',
  notSupported: 'notSupported',
  busy: 'busy',
  temporaryFailure: 'temporaryFailure',
  /** Any other failure the server reported. */
  serverError: 'serverError',
} as const;
export type ReplyStatus = (typeof ReplyStatus)[keyof typeof ReplyStatus];
