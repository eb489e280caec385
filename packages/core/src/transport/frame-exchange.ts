import type { DalliError } from '../errors.ts';
import { Opcode, type Request, type ResponseFrame } from '../protocol/binary/index.ts';
import type { Exchange } from './exchange.ts';

/**
 * The connection's own requests: a NOOP that closes a run of quiet requests, and the handshake's
 * frames (SASL). Resolves with the reply frame, whatever its status; the caller reads it.
 */
export class FrameExchange implements Exchange {
  readonly request: Request;
  readonly operation: string;
  readonly timeout: undefined;
  opaque = 0;
  deadline = 0;
  readonly reply: Promise<ResponseFrame>;
  #resolve!: (frame: ResponseFrame) => void;
  #reject!: (error: DalliError) => void;

  constructor(request: Request, operation: string) {
    this.request = request;
    this.operation = operation;
    this.reply = new Promise<ResponseFrame>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // The NOOP's reply is only a marker; nobody awaits it, and a failure is reported to the
    // requests it follows, so an unobserved rejection here would be noise.
    this.reply.catch(() => {});
  }

  onResponse(frame: ResponseFrame): void {
    this.#resolve(frame);
  }

  onSilence(): void {}

  onFailure(error: DalliError): void {
    this.#reject(error);
  }
}

const noopRequest: Request = { opcode: Opcode.noop };

export function noopExchange(): FrameExchange {
  return new FrameExchange(noopRequest, 'noop');
}
