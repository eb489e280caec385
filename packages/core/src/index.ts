/**
 * A memcached client for Node.js in the binary, meta or text protocol, compatible with Ruby's
 * Dalli: the same ring, keys, flags and values. Start with {@link Client}.
 *
 * @packageDocumentation
 * @module @dalli/core
 */

export { Client } from './client.ts';
export type { KeyLocation } from './cluster/cluster.ts';
export type { RingDiff } from './cluster/ring-diff.ts';
export type { Distribution } from './cluster/rings/build-ring.ts';
export type { DistributionName } from './cluster/rings/key-ring.ts';
export type { ServerState } from './cluster/server.ts';
export type { CasValue, ValueWithMetadata } from './commands/reads.ts';
export type {
  AuthFailureMessage,
  ClusterChangeMessage,
  CommandContext,
  ConnectionCloseMessage,
  ConnectionConnectMessage,
  DiscoveryErrorMessage,
  FetchEvent,
  FetchEventMessage,
  LocalCacheHitMessage,
  ServerDownMessage,
  ServerUpMessage,
} from './diagnostics.ts';
export {
  AuthError,
  BatchError,
  ClosedError,
  ConnectionError,
  DalliError,
  DiscoveryLimitError,
  ErrorCode,
  type ErrorContext,
  InvalidArgumentError,
  InvalidKeyError,
  NoServerAvailableError,
  ProtocolError,
  ServerError,
  type ServerErrorReason,
  TimeoutError,
  UnsupportedCommandError,
  ValueDecodeError,
  ValueTooLargeError,
} from './errors.ts';
export type { ComputedValues } from './fetch/fetch-multi.ts';
export type { FetchOptions } from './fetch/fetch-options.ts';
export type { HotKeyOptions } from './hot-keys/hot-key-options.ts';
export type { HotKeyMessage } from './hot-keys/hot-key-tracker.ts';
export { escapeKey } from './key-escape.ts';
export { type KeyDigest, md5KeyDigest } from './keys.ts';
export { withLocalCache } from './local-cache/local-cache.ts';
export { localCacheMiddleware } from './local-cache/local-cache-middleware.ts';
export { ClearableNamespace, type ClearableNamespaceOptions } from './namespace/clearable-namespace.ts';
export { PrefixGenerations } from './namespace/prefix-generations.ts';
export { BroadcastChannelBus, type InvalidationBus, type InvalidationMessage } from './near-cache/invalidation-bus.ts';
export type { NearCacheEvent, NearCacheEventMessage, NearCacheStats } from './near-cache/near-cache-events.ts';
export type { NearCacheOptions } from './near-cache/near-cache-options.ts';
export type {
  CasOptions,
  CasWriteOptions,
  DeleteOptions,
  InvalidateOptions,
  OperationOptions,
  ReadOptions,
  WriteOptions,
} from './operation-options.ts';
export type { ClientOptions, Discovery } from './options.ts';
export type { ItemMetadata } from './protocol/reply.ts';
export type { ProtocolName } from './protocol/wire-protocol.ts';
export type { Preset } from './serverless-preset.ts';
export { type Compressor, zlibCompressor } from './values/compressor.ts';
export { Flag } from './values/flags.ts';
export { jsonSerializer, type Serializer } from './values/serializer.ts';
export type { ValueFormat, ValueFormatName } from './values/value-format.ts';
