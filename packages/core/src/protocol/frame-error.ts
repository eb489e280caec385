/** Why a byte stream cannot be read as replies of the connection's dialect. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
}
