/**
 * The name of every diagnostics channel the client publishes on, so that a subscriber (an
 * OpenTelemetry bridge, a metrics exporter) does not spell them:
 * `diagnostics_channel.subscribe(channelNames.serverDown, onDown)`. `command` names a tracing
 * channel: `diagnostics_channel.tracingChannel(channelNames.command).subscribe({ … })`. The
 * channels themselves are created in `diagnostics.ts`; a unit test holds the two together.
 */
export const channelNames = {
  command: 'dalli:command',
  connectionConnect: 'dalli:connection:connect',
  connectionClose: 'dalli:connection:close',
  serverDown: 'dalli:server:down',
  serverUp: 'dalli:server:up',
  serverOverloaded: 'dalli:server:overloaded',
  authFailure: 'dalli:auth:failure',
  fetch: 'dalli:fetch',
  clusterChange: 'dalli:cluster:change',
  discoveryError: 'dalli:discovery:error',
  nearCache: 'dalli:near-cache',
  hotKey: 'dalli:hotkey',
  localCacheHit: 'dalli:local-cache:hit',
  route: 'dalli:route',
} as const;

/** One of {@link channelNames}. */
export type ChannelName = (typeof channelNames)[keyof typeof channelNames];
