import type { BatchKind } from '../dispatch/batch.ts';
import { decodeKeyedGet, decodeWrite } from './decoders.ts';

/** getMulti over GETKQ: a reply is a hit (or an error); silence is a miss. */
export const getMultiKind: BatchKind<Map<string, unknown>> = {
  operation: 'getMulti',
  idempotent: true,
  dedupe: false,
  record(part, frame, results) {
    const value = decodeKeyedGet(frame, part, part.wireKey);
    if (value !== undefined) results.set(part.key, value);
  },
  silence() {},
};

/** setMulti over SETQ and deleteMulti over DELETEQ: silence is success; a reply is a refusal or an error. */
function writeKind(operation: string): BatchKind<Map<string, boolean>> {
  return {
    operation,
    idempotent: false,
    dedupe: true,
    record(part, frame, results) {
      results.set(part.key, decodeWrite(frame, part));
    },
    silence(part, results) {
      results.set(part.key, true);
    },
  };
}

export const setMultiKind: BatchKind<Map<string, boolean>> = writeKind('setMulti');
export const deleteMultiKind: BatchKind<Map<string, boolean>> = writeKind('deleteMulti');
