import type { OperationSpec } from '../commands/operation.ts';
import type { Command } from '../protocol/command.ts';

/** What a request does to the data, as routes tell operations apart. */
export type RouteKind = 'read' | 'write' | 'delete' | 'lease';

/** One request on its way through the routes: built once, sent to one pool or several. */
export interface RoutedCall<T> {
  readonly spec: OperationSpec<T>;
  readonly kind: RouteKind;
  readonly wireKey: string;
  readonly request: Command;
  /** Return values as bytes. */
  readonly raw: boolean;
  /** Milliseconds for the reply, when the call sets its own. */
  readonly timeout: number | undefined;
  readonly signal: AbortSignal | undefined;
  /** While traced: the servers the request went to, in order. */
  readonly trail?: string[] | undefined;
}
