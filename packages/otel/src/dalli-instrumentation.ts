import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { EveryClient } from './client-scope.ts';
import {
  checkQueryText,
  type InstrumentOptions,
  reportMetrics,
  reportSpans,
  SCOPE_NAME,
  SCOPE_VERSION,
} from './instrument.ts';

/** How a {@link DalliInstrumentation} reports: `instrument()`'s options, less the providers, plus `enabled`. */
export interface DalliInstrumentationConfig extends Omit<InstrumentOptions, 'tracerProvider' | 'meterProvider'> {
  /** Subscribe at construction. Default `true`, as OpenTelemetry instrumentations do. */
  readonly enabled?: boolean;
}

/**
 * Every `@dalli/core` client of the process reported to OpenTelemetry, in the shape of an
 * OpenTelemetry `Instrumentation` (`instrumentationName`, `instrumentationVersion`, `enable`,
 * `disable`, `setTracerProvider`, `setMeterProvider`, `setConfig`, `getConfig`), so
 * `registerInstrumentations` and the Node SDK's `instrumentations` option take it as they take
 * their own, without the `@opentelemetry/instrumentation` package: nothing needs patching. Spans
 * and metrics are those of {@link instrument}; a client is picked up at its first operation, and
 * the server gauges read every client seen so far.
 *
 * @example
 * ```ts
 * registerInstrumentations({ instrumentations: [new DalliInstrumentation({ queryText: 'obfuscated' })] });
 * ```
 */
export class DalliInstrumentation {
  readonly instrumentationName: string = SCOPE_NAME;
  readonly instrumentationVersion: string = SCOPE_VERSION;
  #config: DalliInstrumentationConfig;
  #tracerProvider: TracerProvider | undefined;
  #meterProvider: MeterProvider | undefined;
  #enabled = false;
  #stopSpans: (() => void) | undefined;
  #stopMetrics: (() => void) | undefined;
  // One scope for the instance's life: clients seen stay known across disable/enable.
  readonly #scope = new EveryClient();

  constructor(config: DalliInstrumentationConfig = {}) {
    this.#config = settled(config);
    if (this.#config.enabled) this.enable();
  }

  /** Subscribes (no-op while enabled). */
  enable(): void {
    if (this.#enabled) return;
    this.#enabled = true;
    this.#startSpans();
    this.#startMetrics();
  }

  /** Unsubscribes every channel and removes the metric callbacks. */
  disable(): void {
    this.#enabled = false;
    this.#stopSpans?.();
    this.#stopMetrics?.();
    this.#stopSpans = undefined;
    this.#stopMetrics = undefined;
  }

  /** Where spans go from now on (default: the global provider). The metrics carry on untouched. */
  setTracerProvider(tracerProvider: TracerProvider): void {
    this.#tracerProvider = tracerProvider;
    this.#stopSpans?.();
    this.#startSpans();
  }

  /** Where metrics go from now on (default: the global provider). The counts start again there. */
  setMeterProvider(meterProvider: MeterProvider): void {
    this.#meterProvider = meterProvider;
    this.#stopMetrics?.();
    this.#startMetrics();
  }

  /** Replaces the configuration; an enabled instrumentation reports under the new one at once. */
  setConfig(config: DalliInstrumentationConfig = {}): void {
    const next = settled(config);
    const running = this.#enabled;
    this.disable();
    this.#config = next;
    if (running) this.enable();
  }

  /** The configuration, `enabled` filled in. */
  getConfig(): DalliInstrumentationConfig {
    return { ...this.#config };
  }

  #startSpans(): void {
    const provider = this.#tracerProvider;
    const options = provider === undefined ? this.#config : { ...this.#config, tracerProvider: provider };
    this.#stopSpans = this.#enabled ? reportSpans(this.#scope, options) : undefined;
  }

  #startMetrics(): void {
    const provider = this.#meterProvider;
    const options = provider === undefined ? this.#config : { ...this.#config, meterProvider: provider };
    this.#stopMetrics = this.#enabled ? reportMetrics(this.#scope, options) : undefined;
  }
}

/** `config` checked, with `enabled` filled in. */
function settled(config: DalliInstrumentationConfig): DalliInstrumentationConfig {
  checkQueryText(config.queryText, 'DalliInstrumentation');
  return { ...config, enabled: config.enabled ?? true };
}
