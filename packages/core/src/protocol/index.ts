export {
  FIRST_OPAQUE,
  HEADER_LENGTH,
  isQuiet,
  MAX_KEY_LENGTH,
  Magic,
  Opcode,
  Status,
  statusName,
} from './constants.ts';
export {
  FrameError,
  FrameReader,
  type FrameReaderOptions,
  type OversizedFrame,
  PROTOCOL_MAX_BODY_LENGTH,
} from './frame-reader.ts';
export {
  encodeRequest,
  encodeRequestToBuffer,
  extrasLength,
  type Request,
  requestLength,
  requestLengthBound,
  valueByteLength,
} from './request.ts';
export {
  isFinalFrame,
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
