import { type MeterProvider, metrics, type TracerProvider, trace } from '@opentelemetry/api';
import type { ObservedClient } from './channel-messages.ts';
import { meterOperations } from './metrics.ts';
import type { QueryText } from './query-text.ts';
import { traceOperations } from './spans.ts';

const SCOPE = '@dalli/otel';
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
  const mode = options.queryText ?? 'off';
  if (!QUERY_TEXT_MODES.includes(mode))
    throw new TypeError(`instrument: queryText must be 'off', 'raw' or 'obfuscated', not ${String(mode)}`);
  const stops: (() => void)[] = [];
  if (options.spans !== false) {
    const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(SCOPE);
    stops.push(traceOperations(client, tracer, mode));
  }
  if (options.metrics !== false) {
    const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
    stops.push(meterOperations(client, meter));
  }
  return {
    stop() {
      for (const stop of stops.splice(0)) stop();
    },
  };
}
