export { Client, type OperationOptions } from './client.ts';
export {
  AuthError,
  ClosedError,
  ConnectionError,
  DalliError,
  ErrorCode,
  type ErrorContext,
  InvalidArgumentError,
  InvalidKeyError,
  NoServerAvailableError,
  ProtocolError,
  ServerError,
  TimeoutError,
  ValueTooLargeError,
} from './errors.ts';
export type { ClientOptions } from './options.ts';
