/**
 * The attribute names emitted, from the OpenTelemetry database semantic conventions (stable since
 * 1.26) where one exists, and under `dalli.` otherwise. Plain strings rather than the
 * `@opentelemetry/semantic-conventions` package: nothing but `@opentelemetry/api` at run time.
 */
export const Attr = {
  dbSystemName: 'db.system.name',
  dbOperationName: 'db.operation.name',
  dbOperationBatchSize: 'db.operation.batch.size',
  dbQueryText: 'db.query.text',
  serverAddress: 'server.address',
  serverPort: 'server.port',
  errorType: 'error.type',
  connectionPoolName: 'db.client.connection.pool.name',
  connectionState: 'db.client.connection.state',
  protocol: 'dalli.protocol',
  outcome: 'dalli.outcome',
  hit: 'dalli.hit',
  hits: 'dalli.hits',
  misses: 'dalli.misses',
  servers: 'dalli.servers',
  retries: 'dalli.retries',
  fetchEvent: 'dalli.fetch.event',
  routeEvent: 'dalli.route.event',
  routeFrom: 'dalli.route.from',
  routeTo: 'dalli.route.to',
  revalidation: 'dalli.near_cache.revalidation',
  failoverFrom: 'dalli.failover.from',
  failoverTo: 'dalli.failover.to',
} as const;

/** `db.system.name` for memcached, as the conventions' registry spells it. */
export const DB_SYSTEM = 'memcached';

/** The bucket boundaries (seconds) the conventions advise for `db.client.operation.duration`. */
export const DURATION_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
