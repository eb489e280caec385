import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObservedClient } from './channel-messages.ts';
import { ClientMetrics } from './prometheus/client-metrics.ts';
import { EXPOSITION_CONTENT_TYPE } from './prometheus/exposition.ts';

export type { ObservedClient, ServerHealth } from './channel-messages.ts';
export {
  EXPOSITION_CONTENT_TYPE,
  type Labels,
  MetricFamily,
  MetricRegistry,
  type MetricType,
} from './prometheus/exposition.ts';

/** A request handler serving a client's metrics, with what a framework without Node's `(req, res)` needs. */
export interface PrometheusHandler {
  /** Answers `GET` (and `HEAD`) with the metrics in the text exposition format; other methods get 405. */
  (request: IncomingMessage, response: ServerResponse): void;
  /** The metrics in the text exposition format, for frameworks that send a string (Fastify, Nest). */
  metrics(): string;
  /** The `content-type` to send them with. */
  readonly contentType: string;
  /** Stops counting. */
  stop(): void;
}

/**
 * A Prometheus endpoint for a `@dalli/core` client's own metrics (durations, hits and misses,
 * errors, timeouts, retries, failovers, fetch's stampede decisions, server up, connections,
 * requests in flight), counted from its diagnostics channels from now on. Needs neither
 * OpenTelemetry nor a Prometheus library.
 *
 * @example
 * ```ts
 * import { prometheusHandler } from '@dalli/otel/prometheus';
 * app.get('/metrics', prometheusHandler(client)); // Express
 * ```
 */
export function prometheusHandler(client: ObservedClient): PrometheusHandler {
  const metrics = new ClientMetrics(client);
  const handler = (request: IncomingMessage, response: ServerResponse): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const body = metrics.render();
    response.writeHead(200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' });
    response.end(request.method === 'HEAD' ? undefined : body);
  };
  return Object.assign(handler, {
    metrics: () => metrics.render(),
    contentType: EXPOSITION_CONTENT_TYPE,
    stop: () => metrics.stop(),
  });
}
