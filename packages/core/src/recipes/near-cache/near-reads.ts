import { CAS_OF, NEAR_GET, type NearRead, nearMultiKind } from '../../commands/near-reads.ts';
import type { KeyedOperation } from '../../commands/operation.ts';
import type { Dispatcher } from '../../dispatch/dispatcher.ts';
import type { OperationOptions } from '../../options/operation-options.ts';
import { Op } from '../../protocol/command.ts';

export type { NearRead } from '../../commands/near-reads.ts';

/** The reads the near cache makes, on the client's dispatcher, never through the public client. */
export interface NearReadIo {
  /** A get: value and size, and the CAS where the dialect has item metadata (else 0n); undefined on a miss. */
  read(key: string, options: OperationOptions | undefined): Promise<NearRead | undefined>;
  /** The item's CAS without its value; undefined on a miss. Absent where the dialect has no item metadata. */
  readonly casOf: ((key: string, options: OperationOptions | undefined) => Promise<bigint | undefined>) | undefined;
  /** One batch of quiet gets; what arrived, keyed as given. */
  readMulti(keys: readonly string[], options: OperationOptions | undefined): Promise<Map<string, NearRead>>;
}

/**
 * NEAR_GET as a plain get, for the dialects without item metadata: they never revalidate by CAS,
 * so asking for it (text `gets`) would only cost a longer reply and a BigInt parsed per read.
 */
const NEAR_PLAIN_GET: KeyedOperation<NearRead | undefined> = {
  ...NEAR_GET,
  op: Op.get,
  build: (key) => ({ op: Op.get, key }),
};

/** The near cache's reads on `dispatcher`; the CAS-only revalidation only where the dialect has item metadata. */
export function nearReadIo(dispatcher: Dispatcher, metadata: boolean): NearReadIo {
  const read = metadata ? NEAR_GET : NEAR_PLAIN_GET;
  return {
    read: (key, options) => dispatcher.keyed(read, key, undefined, undefined, undefined, options),
    casOf: metadata
      ? (key, options) => dispatcher.keyed(CAS_OF, key, undefined, undefined, undefined, options)
      : undefined,
    readMulti: (keys, options) => dispatcher.batch(nearMultiKind, keys, undefined, options),
  };
}
