import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { BullMQOtel } from 'bullmq-otel';

export interface Tracing {
  /** Pass as BullMQ's `telemetry` option: queues and workers then emit spans, linked across processes. */
  telemetry: BullMQOtel;
  /** Flush what is buffered and stop exporting. */
  shutdown(): Promise<void>;
}

/**
 * Optional OpenTelemetry traces: when OTEL_EXPORTER_OTLP_ENDPOINT is set, spans of every
 * queue operation and job go to that collector over OTLP/HTTP (JSON). Off by default,
 * so a process without a collector pays nothing.
 */
export function startTracing(opts: { endpoint: string; serviceName: string }): Tracing {
  const url = `${opts.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': opts.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url }), scheduledDelayMillis: 1000 })],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  return {
    telemetry: new BullMQOtel({ tracerName: 'refrain' }),
    async shutdown() {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}
