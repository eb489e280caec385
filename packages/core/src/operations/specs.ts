import {
  type CasValue,
  decodeCounter,
  decodeDone,
  decodeKeyedGets,
  decodeKeyedSingleGet,
  decodeVersion,
  decodeWrite,
} from './decoders.ts';
import type { OperationSpec } from './operation-exchange.ts';
import { decodeStat } from './stats.ts';

/**
 * Every single-request operation: its name, its reply decoder, and whether it may be resent after
 * reaching the server. Reads (and touch, which only sets a TTL) are idempotent; writes that change
 * data are never replayed once their bytes may have arrived.
 */
/**
 * get, gets and gat go as GETK / GATK: the reply echoes the key, and a reply naming another key is a
 * ProtocolError that drops the connection, the same second check multi-gets have (bench/: the
 * key's bytes cost no measurable throughput at 100 in flight).
 */
export const GET: OperationSpec<unknown> = {
  name: 'get',
  decode: decodeKeyedSingleGet,
  idempotent: true,
  read: true,
};
export const GETS: OperationSpec<CasValue | undefined> = {
  name: 'gets',
  decode: decodeKeyedGets,
  idempotent: true,
  read: true,
};
export const GAT: OperationSpec<unknown> = {
  name: 'gat',
  decode: decodeKeyedSingleGet,
  idempotent: true,
  read: true,
};
export const TOUCH: OperationSpec<boolean> = { name: 'touch', decode: decodeWrite, idempotent: true };
export const SET: OperationSpec<boolean> = { name: 'set', decode: decodeWrite, idempotent: false };
export const ADD: OperationSpec<boolean> = { name: 'add', decode: decodeWrite, idempotent: false };
export const REPLACE: OperationSpec<boolean> = { name: 'replace', decode: decodeWrite, idempotent: false };
export const APPEND: OperationSpec<boolean> = { name: 'append', decode: decodeWrite, idempotent: false };
export const PREPEND: OperationSpec<boolean> = { name: 'prepend', decode: decodeWrite, idempotent: false };
export const DELETE: OperationSpec<boolean> = { name: 'delete', decode: decodeWrite, idempotent: false };
export const INCR: OperationSpec<bigint | undefined> = { name: 'incr', decode: decodeCounter, idempotent: false };
export const DECR: OperationSpec<bigint | undefined> = { name: 'decr', decode: decodeCounter, idempotent: false };
export const FLUSH: OperationSpec<true> = { name: 'flush', decode: decodeDone, idempotent: true };
export const NOOP: OperationSpec<true> = { name: 'noop', decode: decodeDone, idempotent: true };
export const VERSION: OperationSpec<string> = { name: 'version', decode: decodeVersion, idempotent: true };
export const STATS: OperationSpec<Record<string, string>> = { name: 'stats', decode: decodeStat, idempotent: true };
