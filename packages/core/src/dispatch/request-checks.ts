import { timeoutMs } from '../commands/argument-checks.ts';
import type { BuildContext, KeyedOperation, OperationSpec } from '../commands/operation.ts';
import { ClosedError, InvalidArgumentError, UnsupportedCommandError } from '../errors.ts';
import type { KeyBuilder } from '../keys/key-builder.ts';
import { checkOperationOptions } from '../options/operation-option-checks.ts';
import type { OperationOptions } from '../options/operation-options.ts';
import type { Command, Op } from '../protocol/command.ts';
import { needsCapability } from '../protocol/protocols.ts';
import { type ProxyName, proxyRefusal } from '../protocol/proxies.ts';
import type { WireProtocol } from '../protocol/wire-protocol.ts';

/** What the checks need: the dialect, the proxy, the keys, and what requests are built with. */
export interface RequestCheckOptions extends BuildContext {
  readonly keys: KeyBuilder;
  readonly protocol: WireProtocol;
  readonly proxy?: ProxyName | undefined;
}

/**
 * The dispatcher's checks, applied in one order for every entry point: options, capability, key,
 * request, proxy, open. Each throws a typed error before a byte is sent.
 */
export class RequestChecks {
  /** Set once the client closes: every later request is refused. */
  closed = false;
  readonly #options: RequestCheckOptions;

  constructor(options: RequestCheckOptions) {
    this.#options = options;
  }

  /** Checks a keyed call and builds its request. */
  prepare<T, A, B, C>(
    operation: KeyedOperation<T, A, B, C>,
    key: string,
    a: A,
    b: B,
    c: C,
    options: OperationOptions | undefined,
  ): { wireKey: string; request: Command } {
    const name = operation.name;
    this.operation(operation, options);
    const wireKey = this.#options.keys.wireKey(key, name);
    const request = operation.build(wireKey, a, b, c, this.#options);
    const refusal = this.#options.protocol.refusal?.(request);
    if (refusal !== undefined) throw new InvalidArgumentError(refusal, { operation: name });
    this.proxy(request.op, name);
    this.open(name, options);
    return { wireKey, request };
  }

  /** A multi-key call's options and state; returns its timeout in milliseconds. */
  batch(name: string, options: OperationOptions | undefined): number | undefined {
    checkOperationOptions(options, name);
    const timeout = timeoutMs(options?.timeout, name);
    this.open(name, options);
    return timeout;
  }

  /** The options, then the capability the operation needs. */
  operation(operation: OperationSpec<unknown>, options: OperationOptions | undefined): void {
    checkOperationOptions(options, operation.name);
    const needs = operation.needs;
    const protocol = this.#options.protocol;
    if (needs !== undefined && !protocol.capabilities[needs]) {
      throw new InvalidArgumentError(needsCapability(operation.name, needs, protocol), { operation: operation.name });
    }
  }

  /** A command the proxy in front of the servers does not know is refused, not sent. */
  proxy(op: Op, operation: string): void {
    const refusal = proxyRefusal(this.#options.proxy, op);
    if (refusal !== undefined) throw new UnsupportedCommandError(refusal, { operation });
  }

  open(operation: string, options: OperationOptions | undefined): void {
    if (this.closed) throw new ClosedError('the client is closed', { operation });
    const signal = options?.signal;
    if (signal?.aborted) throw signal.reason;
  }
}
