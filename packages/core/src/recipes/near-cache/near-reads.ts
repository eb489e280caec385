import { CAS_OF, NEAR_GET, type NearRead, nearMultiKind } from '../../commands/near-reads.ts';
import type { Dispatcher } from '../../dispatch/dispatcher.ts';
import type { OperationOptions } from '../../options/operation-options.ts';

export type { NearRead } from '../../commands/near-reads.ts';

/** The reads the near cache makes, on the client's dispatcher, never through the public client. */
export interface NearReadIo {
  /** A gets: value, CAS and size; undefined on a miss. */
  read(key: string, options: OperationOptions | undefined): Promise<NearRead | undefined>;
  /** The item's CAS without its value; undefined on a miss. Absent where the dialect has no item metadata. */
  readonly casOf: ((key: string, options: OperationOptions | undefined) => Promise<bigint | undefined>) | undefined;
  /** One batch of quiet gets; what arrived, keyed as given. */
  readMulti(keys: readonly string[], options: OperationOptions | undefined): Promise<Map<string, NearRead>>;
}

/** The near cache's reads on `dispatcher`; the CAS-only revalidation only where the dialect has item metadata. */
export function nearReadIo(dispatcher: Dispatcher, metadata: boolean): NearReadIo {
  return {
    read: (key, options) => dispatcher.keyed(NEAR_GET, key, undefined, undefined, undefined, options),
    casOf: metadata
      ? (key, options) => dispatcher.keyed(CAS_OF, key, undefined, undefined, undefined, options)
      : undefined,
    readMulti: (keys, options) => dispatcher.batch(nearMultiKind, keys, undefined, options),
  };
}
