import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import type { ObservedClient } from './channel-messages.ts';
import { type ClientScope, OneClient } from './client-scope.ts';
import { meterOperations } from './metrics.ts';
import type { QueryText } from './query-text.ts';
import { traceOperations } from './spans.ts';

/** The instrumentation scope's name: what `getTracer`/`getMeter` are asked for. */
export const SCOPE_NAME = '@dalli/otel';
/** This package's version, as the instrumentation scope's version (a test keeps it equal to package.json's). */
export const SCOPE_VERSION = '0.1.0';
const QUERY_TEXT_MODES: readonly QueryText[] = ['off', 'raw', 'obfuscated'];

/** How {@link instrument} reports. */
export interface InstrumentOptions {
  /** Where spans go. Default: the global provider (`trace.getTracerProvider()`). */
  readonly tracerProvider?: TracerProvider;
  /** Where metrics go. Default: the global provider (`metrics.getMeterProvider()`). */
  readonly meterProvider?: MeterProvider;
  /** One span per operation. Default `true`. */
  readonly spans?: boolean;
  /** The client's metrics. Default `true`. */
  readonly metrics?: boolean;
  /**
   * `db.query.text` on single-key spans: `'off'` (default: no key leaves the process), `'raw'`
   * (`get user:42`) or `'obfuscated'` (`get user:?`). Metrics never carry a key.
   */
  readonly queryText?: QueryText;
}

/** A running instrumentation. */
export interface Instrumentation {
  /** Stops reporting: unsubscribes every channel and removes the metric callbacks. */
  stop(): void;
}

/**
 * Reports a `@dalli/core` client to OpenTelemetry: spans and metrics, from its diagnostics
 * channels (no patching, nothing wrapped). Call it once per client, after setting up the SDK.
 * To report every client of the process instead, register a `DalliInstrumentation`.
 *
 * @example
 * ```ts
 * const client = new Client('10.0.0.1:11211');
 * const otel = instrument(client, { queryText: 'obfuscated' });
 * // …
 * otel.stop();
 * ```
 */
export function instrument(client: ObservedClient, options: InstrumentOptions = {}): Instrumentation {
  checkQueryText(options.queryText, 'instrument');
  const stop = report(new OneClient(client), options);
  return { stop };
}

/** Throws a TypeError for a `queryText` that is none of the three modes. */
export function checkQueryText(mode: QueryText | undefined, caller: string): void {
  if (mode !== undefined && !QUERY_TEXT_MODES.includes(mode))
    throw new TypeError(`${caller}: queryText must be 'off', 'raw' or 'obfuscated', not ${String(mode)}`);
}

/** Subscribes spans and metrics for the clients in `scope`; returns the stop (safe to call twice). */
export function report(scope: ClientScope, options: InstrumentOptions): () => void {
  const stops = [reportSpans(scope, options), reportMetrics(scope, options)];
  return () => {
    for (const stop of stops.splice(0)) stop?.();
  };
}

/** The spans for the clients in `scope`, unless `spans: false`; returns the stop. */
export function reportSpans(scope: ClientScope, options: InstrumentOptions): (() => void) | undefined {
  if (options.spans === false) return undefined;
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE_NAME, SCOPE_VERSION);
  return traceOperations(scope, tracer, options.queryText ?? 'off');
}

/** The metrics for the clients in `scope`, unless `metrics: false`; returns the stop. */
export function reportMetrics(scope: ClientScope, options: InstrumentOptions): (() => void) | undefined {
  if (options.metrics === false) return undefined;
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE_NAME, SCOPE_VERSION);
  return meterOperations(scope, meter);
}
