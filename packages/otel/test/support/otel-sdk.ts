import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  type DataPoint,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The real OpenTelemetry SDK with its in-memory exporters, as an app would set it up. */
export class OtelSdk {
  readonly spans: InMemorySpanExporter = new InMemorySpanExporter();
  readonly tracerProvider: BasicTracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(this.spans)],
  });
  readonly #metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  readonly #reader = new PeriodicExportingMetricReader({ exporter: this.#metrics, exportIntervalMillis: 3_600_000 });
  readonly meterProvider: MeterProvider = new MeterProvider({ readers: [this.#reader] });
  readonly #contextManager = new AsyncLocalStorageContextManager();

  constructor() {
    context.setGlobalContextManager(this.#contextManager.enable());
  }

  /** Every metric collected now, by name. */
  async metrics(): Promise<Map<string, MetricData>> {
    this.#metrics.reset();
    await this.#reader.forceFlush();
    const found = new Map<string, MetricData>();
    for (const resource of this.#metrics.getMetrics())
      for (const scope of resource.scopeMetrics)
        for (const metric of scope.metrics) found.set(metric.descriptor.name, metric);
    return found;
  }

  async shutdown(): Promise<void> {
    await Promise.all([this.tracerProvider.shutdown(), this.meterProvider.shutdown()]);
    this.#contextManager.disable();
    context.disable();
  }
}

/** The data points of a metric whose attributes include `match`. */
export function pointsOf(metric: MetricData | undefined, match: Record<string, unknown> = {}): DataPoint<unknown>[] {
  const points = (metric?.dataPoints ?? []) as DataPoint<unknown>[];
  return points.filter((point) => Object.entries(match).every(([name, value]) => point.attributes[name] === value));
}

/** The sum of a counter's points matching `match`. */
export function total(metric: MetricData | undefined, match: Record<string, unknown> = {}): number {
  return pointsOf(metric, match).reduce((sum, point) => sum + (point.value as number), 0);
}

/** The observation count of a histogram's points matching `match`. */
export function observations(metric: MetricData | undefined, match: Record<string, unknown> = {}): number {
  return pointsOf(metric, match).reduce((sum, point) => sum + (point.value as Histogram).count, 0);
}
