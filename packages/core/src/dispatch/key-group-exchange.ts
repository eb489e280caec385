import { type DalliError, ProtocolError } from '../errors.ts';
import { type Command, Op } from '../protocol/command.ts';
import type { Reply } from '../protocol/reply.ts';
import type { Exchange } from '../transport/exchange.ts';
import type { Retriable } from './retriable.ts';

/**
 * Several quiet gets of one server sent as one multi-key request (text `get k1 k2 …`), for a
 * dialect whose replies carry no opaque: each value reply names its key and goes to that key's
 * request (a key not asked for is a ProtocolError: the replies are out of step); the final reply
 * (END) proves the rest missed. A failure goes to every request still
 * waiting, each of which may then be retried on its own.
 */
export class KeyGroupExchange implements Exchange {
  readonly request: Command;
  readonly operation: string;
  readonly timeout: number | undefined;
  opaque = 0;
  deadline = 0;
  readonly #parts: readonly Retriable[];
  /** The requests still waiting, by wire key (a key asked twice is answered twice). */
  readonly #waiting = new Map<string, Retriable[]>();

  constructor(parts: readonly Retriable[]) {
    const first = parts[0] as Retriable;
    this.#parts = parts;
    this.operation = first.operation;
    this.timeout = first.timeout;
    for (const part of parts) {
      const key = part.request.key as string;
      const same = this.#waiting.get(key);
      if (same === undefined) this.#waiting.set(key, [part]);
      else same.push(part);
    }
    this.request = { op: Op.get, keys: parts.map((part) => part.request.key as string) };
  }

  onResponse(reply: Reply): void {
    if (reply.final) {
      this.onSilence();
      return;
    }
    this.#partFor(reply).onResponse(reply);
  }

  /** A value over the size limit fails its own key only, as it would have alone. */
  onOversized(reply: Reply, error: DalliError): void {
    this.#partFor(reply).onFailure(error, true);
  }

  #partFor(reply: Reply): Retriable {
    const part = this.#waiting.get(reply.key)?.shift();
    if (part === undefined) {
      // Not a key asked for (or asked once and answered twice): the replies are out of step.
      throw new ProtocolError(`a value for key "${reply.key}" arrived for a get of other keys`, {
        server: this.#parts[0]?.server,
        operation: this.operation,
      });
    }
    return part;
  }

  /** The END: every key without a value missed. */
  onSilence(): void {
    for (const parts of this.#waiting.values()) for (const part of parts) part.onSilence();
    this.#waiting.clear();
  }

  onFailure(error: DalliError, sent: boolean): void {
    for (const part of this.#parts) part.onFailure(error, sent);
  }
}
