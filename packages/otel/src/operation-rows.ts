import type { Attributes } from '@opentelemetry/api';
import { Attr, DB_SYSTEM } from './attribute-names.ts';
import type { Outcome } from './operation-outcome.ts';
import { serverAddress } from './server-address.ts';

/** The counts of one operation on one server, and its attribute sets, made once. */
export interface OperationRow {
  readonly attributes: Attributes;
  /** The duration histogram's attribute sets, by outcome (or by error type for failures). */
  readonly byOutcome: Map<string, Attributes>;
  hits: number;
  misses: number;
  timeouts: number;
  retries: number;
  failovers: number;
}

/**
 * One row per (operation, server), found with two Map lookups and no string built per operation,
 * so recording allocates nothing once a row exists. Both keys are bounded (the client's operation
 * names, its servers), never a key of the cache.
 */
export class OperationRows {
  readonly #rows = new Map<string, Map<string, OperationRow>>();

  /** The row of `operation` on `server` (undefined: several servers answered). */
  row(operation: string, server: string | undefined): OperationRow {
    let byServer = this.#rows.get(operation);
    if (byServer === undefined) {
      byServer = new Map();
      this.#rows.set(operation, byServer);
    }
    let row = byServer.get(server ?? '');
    if (row === undefined) {
      row = {
        attributes: operationAttributes(operation, server),
        byOutcome: new Map(),
        hits: 0,
        misses: 0,
        timeouts: 0,
        retries: 0,
        failovers: 0,
      };
      byServer.set(server ?? '', row);
    }
    return row;
  }

  /** The duration's attribute set for an outcome (and, for a failure, its error type). */
  outcomeAttributes(row: OperationRow, outcome: Outcome, errorType: string | undefined): Attributes {
    const key = errorType ?? outcome;
    let attributes = row.byOutcome.get(key);
    if (attributes === undefined) {
      attributes = { ...row.attributes, [Attr.outcome]: outcome };
      if (errorType !== undefined) attributes[Attr.errorType] = errorType;
      row.byOutcome.set(key, attributes);
    }
    return attributes;
  }

  *[Symbol.iterator](): IterableIterator<OperationRow> {
    for (const byServer of this.#rows.values()) yield* byServer.values();
  }
}

/** `db.system.name`, `server.address` and `server.port` of a server. */
export function serverAttributes(server: string): Attributes {
  const { address, port } = serverAddress(server);
  const attributes: Attributes = { [Attr.dbSystemName]: DB_SYSTEM, [Attr.serverAddress]: address };
  if (port !== undefined) attributes[Attr.serverPort] = port;
  return attributes;
}

function operationAttributes(operation: string, server: string | undefined): Attributes {
  const attributes = server === undefined ? { [Attr.dbSystemName]: DB_SYSTEM } : serverAttributes(server);
  attributes[Attr.dbOperationName] = operation;
  return attributes;
}
