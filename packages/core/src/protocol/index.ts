export { HEADER_LENGTH, isQuiet, MAX_KEY_LENGTH, Magic, Opcode, Status, statusName } from './constants.ts';
export { FrameError, FrameReader, type FrameReaderOptions } from './frame-reader.ts';
export { encodeRequest, encodeRequestToBuffer, extrasLength, type Request, requestLength } from './request.ts';
export {
  type ResponseFrame,
  responseCas,
  responseCounter,
  responseExtras,
  responseFlags,
  responseKey,
  responseText,
  responseValue,
  valueEnd,
  valueStart,
} from './response.ts';
export { decodeMechanisms, SASL_PLAIN, saslListMechsRequest, saslPlainAuthRequest, saslStepRequest } from './sasl.ts';
