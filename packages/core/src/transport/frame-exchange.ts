import type { DalliError } from '../errors.ts';
import type { Command } from '../protocol/command.ts';
import type { Reply } from '../protocol/reply.ts';
import type { Exchange } from './exchange.ts';

/**
 * The connection's own requests: the barrier that closes a run of quiet requests (NOOP, `mn`),
 * and the handshake's (login). Resolves with the reply, whatever its status; the caller reads it.
 */
export class FrameExchange implements Exchange {
  readonly request: Command;
  readonly operation: string;
  readonly timeout: undefined;
  opaque = 0;
  deadline = 0;
  readonly reply: Promise<Reply>;
  #resolve!: (reply: Reply) => void;
  #reject!: (error: DalliError) => void;

  constructor(request: Command, operation: string) {
    this.request = request;
    this.operation = operation;
    this.reply = new Promise<Reply>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // The barrier's reply is only a marker; nobody awaits it, and a failure is reported to the
    // requests it follows, so an unobserved rejection here would be noise.
    this.reply.catch(() => {});
  }

  onResponse(reply: Reply): void {
    this.#resolve(reply);
  }

  onSilence(): void {}

  onFailure(error: DalliError): void {
    this.#reject(error);
  }
}
