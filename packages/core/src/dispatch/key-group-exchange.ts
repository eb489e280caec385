import { type DalliError, ProtocolError } from '../errors.ts';
import { type Command, Op } from '../protocol/command.ts';
import { type Reply, ReplyStatus } from '../protocol/reply.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { Retriable } from './retriable.ts';

/**
 * Several quiet gets of one server sent as one multi-key request (text `get k1 k2 …`), for a
 * dialect whose replies carry no opaque: each value reply names its key and goes to that key's
 * request (a key not asked for is a ProtocolError: the replies are out of step); the final reply
 * (END) proves the rest missed. A failure goes to every request still
 * waiting, each of which may then be retried on its own. An error line answers the whole get
 * (twemproxy sends one when the backend of any of its keys fails): each request still waiting
 * gets it as its own reply, or, given `sendAlone`, is sent again by itself to learn its own answer.
 */
export class KeyGroupExchange implements Exchange {
  readonly request: Command;
  readonly operation: string;
  readonly timeout: number | undefined;
  opaque = 0;
  deadline = 0;
  readonly #parts: readonly Retriable[];
  /** Which parts have had their value (a key asked twice is answered twice, once each). */
  readonly #answered: Uint8Array;
  /** memcached answers in the order asked: the search for a value's part starts after the last one found. */
  #next = 0;
  readonly #sendAlone: ((part: Retriable) => void) | undefined;

  constructor(parts: readonly Retriable[], sendAlone?: (part: Retriable) => void) {
    const first = parts[0] as Retriable;
    this.#parts = parts;
    this.#answered = new Uint8Array(parts.length);
    this.#sendAlone = sendAlone;
    this.operation = first.operation;
    this.timeout = first.timeout;
    const keys = new Array<string>(parts.length);
    for (let i = 0; i < parts.length; i++) keys[i] = (parts[i] as Retriable).request.key as string;
    this.request = { op: Op.get, keys };
  }

  onResponse(reply: Reply): void {
    if (!reply.final) {
      this.#partFor(reply).onResponse(reply);
      return;
    }
    if (reply.status === ReplyStatus.notFound) {
      this.onSilence();
      return;
    }
    const alone = this.#sendAlone;
    for (const part of this.#takeWaiting()) {
      if (alone === undefined) part.onResponse(reply);
      else alone(part);
    }
  }

  /** A value over the size limit fails its own key only, as it would have alone. */
  onOversized(reply: Reply, error: DalliError): void {
    this.#partFor(reply).onFailure(error, true);
  }

  /**
   * The first part not yet answered whose key the reply names, looked for from where the last
   * one was found (the usual order) and then from the start (a proxy may reorder), comparing key
   * bytes in place: no string per reply.
   */
  #partFor(reply: Reply): Retriable {
    const parts = this.#parts;
    const count = parts.length;
    for (let n = 0; n < count; n++) {
      const i = (this.#next + n) % count;
      if (this.#answered[i] === 0 && reply.keyIs((parts[i] as Retriable).request.key as string)) {
        this.#answered[i] = 1;
        this.#next = i + 1;
        return parts[i] as Retriable;
      }
    }
    // Not a key asked for (or asked once and answered twice): the replies are out of step.
    throw new ProtocolError(`a value for key "${reply.key}" arrived for a get of other keys`, {
      server: parts[0]?.server,
      operation: this.operation,
    });
  }

  /** The parts still waiting for a value, now taken: nothing else will answer them here. */
  #takeWaiting(): Retriable[] {
    const waiting: Retriable[] = [];
    for (let i = 0; i < this.#parts.length; i++) {
      if (this.#answered[i] === 0) waiting.push(this.#parts[i] as Retriable);
    }
    this.#answered.fill(1);
    return waiting;
  }

  /** The END: every key without a value missed. */
  onSilence(): void {
    for (const part of this.#takeWaiting()) part.onSilence();
  }

  onFailure(error: DalliError, sent: boolean): void {
    for (const part of this.#parts) part.onFailure(error, sent);
  }
}
