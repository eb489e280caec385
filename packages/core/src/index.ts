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
export { type ChannelName, channelNames } from './diagnostics/channel-names.ts';
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
  ServerOverloadedMessage,
  ServerUpMessage,
} from './diagnostics/diagnostics.ts';
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
  OverloadedError,
  ProtocolError,
  ReplyTooLargeError,
  ServerError,
  type ServerErrorReason,
  TimeoutError,
  UnsupportedCommandError,
  ValueDecodeError,
  ValueTooLargeError,
} from './errors.ts';
export { type KeyDigest, md5KeyDigest } from './keys/key-builder.ts';
export { escapeKey } from './keys/key-escape.ts';
export type { ClientOptions, Discovery, Preset } from './options/client-options.ts';
export type { EjectOptions, HealthOptions } from './options/health-options.ts';
export type { HotKeyOptions } from './options/hot-key-options.ts';
export type { InvalidationBus, InvalidationMessage, NearCacheOptions } from './options/near-cache-options.ts';
export type {
  CasOptions,
  CasWriteOptions,
  CounterOptions,
  DeleteOptions,
  InvalidateOptions,
  OperationOptions,
  ReadOptions,
  WriteOptions,
} from './options/operation-options.ts';
export type {
  AllRouteConfig,
  FailoverRouteConfig,
  PoolOptions,
  RouteConfig,
  RoutesOption,
  ShadowRouteConfig,
  TtlRouteConfig,
  WarmUpRouteConfig,
  ZoneFailoverRouteConfig,
} from './options/route-options.ts';
export type { ItemMetadata } from './protocol/reply.ts';
export type { ProtocolName } from './protocol/wire-protocol.ts';
export type { ComputedValues } from './recipes/fetch/fetch-multi.ts';
export type { FetchOptions } from './recipes/fetch/fetch-options.ts';
export type { HotKeyMessage } from './recipes/hot-keys/hot-key-tracker.ts';
export { withLocalCache } from './recipes/local-cache/local-cache.ts';
export { localCacheMiddleware } from './recipes/local-cache/local-cache-middleware.ts';
export { ClearableNamespace, type ClearableNamespaceOptions } from './recipes/namespace/clearable-namespace.ts';
export { PrefixGenerations } from './recipes/namespace/prefix-generations.ts';
export { BroadcastChannelBus } from './recipes/near-cache/invalidation-bus.ts';
export type { NearCacheEvent, NearCacheEventMessage, NearCacheStats } from './recipes/near-cache/near-cache-events.ts';
export type { RouteEventMessage, RouteStats } from './routing/route-events.ts';
export { type Compressor, zlibCompressor } from './values/compressor.ts';
export { Flag } from './values/flags.ts';
export { jsonSerializer, type Serializer } from './values/serializer.ts';
export type { ValueFormat, ValueFormatName } from './values/value-format.ts';
