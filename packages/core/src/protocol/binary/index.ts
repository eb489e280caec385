export { binaryProtocol, opcodeOf } from './binary-protocol.ts';
export { HEADER_LENGTH, isQuiet, Magic, Opcode, Status, statusName } from './constants.ts';
export { FrameReader, PROTOCOL_MAX_BODY_LENGTH } from './frame-reader.ts';
export { BinaryReply } from './reply.ts';
export {
  encodeRequest,
  encodeRequestToBuffer,
  extrasLength,
  type Request,
  requestLength,
  requestLengthBound,
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
