// Maps @dalli/core's `dalli:command` tracing channel onto OpenTelemetry spans. This is all an APM
// integration needs: no patching, just a subscriber. Copy it into your app, or use it as is.
import { tracingChannel } from 'node:diagnostics_channel';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

/**
 * Starts one span per memcached operation (`memcached get`, `memcached getMulti`…), as a child of
 * whatever span is active when the operation starts, and ends it when the operation settles.
 * Returns a function that stops tracing.
 */
export function traceDalli(tracer = trace.getTracer('@dalli/core')) {
  const spans = new WeakMap();
  const handlers = {
    start(command) {
      const span = tracer.startSpan(
        `memcached ${command.operation}`,
        {
          kind: SpanKind.CLIENT,
          attributes: {
            'db.system.name': 'memcached',
            'db.operation.name': command.operation,
            ...(command.key === undefined ? {} : { 'dalli.key': command.key }),
            ...(command.keyCount === undefined ? {} : { 'dalli.key_count': command.keyCount }),
          },
        },
        context.active(),
      );
      spans.set(command, span);
    },
    end() {},
    asyncStart() {},
    asyncEnd(command) {
      const span = spans.get(command);
      if (span === undefined) return;
      span.setAttribute('server.address', command.servers.join(','));
      if (command.hit !== undefined) span.setAttribute('dalli.hit', command.hit);
      if (command.hits !== undefined)
        span.setAttributes({ 'dalli.hits': command.hits, 'dalli.misses': command.misses });
      if (command.bytes !== undefined) span.setAttribute('dalli.bytes', command.bytes);
      if (command.error === undefined) span.setStatus({ code: SpanStatusCode.OK });
      span.end();
    },
    error(command) {
      const span = spans.get(command);
      if (span === undefined) return;
      span.recordException(command.error);
      span.setAttribute('error.type', command.error?.code ?? 'Error');
      span.setStatus({ code: SpanStatusCode.ERROR, message: command.error?.message });
    },
  };
  const channel = tracingChannel('dalli:command');
  channel.subscribe(handlers);
  return () => channel.unsubscribe(handlers);
}
