/**
 * Traces and metrics of every run, printed to the console: each run's span `apogee.run <task>`
 * with the span the task opens inside it as its child, then the run metrics. Run it with
 *
 *   node --import tsx examples/src/observability/observability.ts
 *
 * In production, swap the console exporters for OTLP ones (`@opentelemetry/exporter-trace-otlp-http`)
 * or register `@opentelemetry/sdk-node` and call `otel()` without arguments.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { App, every } from '@apogee/core';
import { otel } from '@apogee/opentelemetry';

/** The OpenTelemetry SDK, set up as an application would: context manager, tracer and meter providers. */
export function setUpTelemetry(): { tracerProvider: BasicTracerProvider; meterProvider: MeterProvider } {
  // Without a context manager no span is ever "active": the task's spans would have no parent.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const tracerProvider = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())],
  });
  trace.setGlobalTracerProvider(tracerProvider);
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new ConsoleMetricExporter(),
        exportIntervalMillis: 60_000,
      }),
    ],
  });
  return { tracerProvider, meterProvider };
}

/** A report every 10 seconds that opens a span of its own, and a sync that fails every other time. */
export function createApp(telemetry: ReturnType<typeof setUpTelemetry>): App {
  const app = new App({ ...otel(telemetry) });
  app.task({ name: 'report', start: every('10 seconds') }, async () => {
    // The run's span is active here: this span is its child, in the same trace.
    const span = trace.getTracer('reports').startSpan('render pdf');
    await new Promise((resolve) => setImmediate(resolve));
    span.end();
    return 'report.pdf';
  });
  let syncs = 0;
  app.task({ name: 'sync_crm', start: every('10 seconds') }, () => {
    syncs += 1;
    if (syncs % 2 === 0) throw new Error('CRM answered 503');
  });
  return app;
}

async function main(): Promise<void> {
  const telemetry = setUpTelemetry();
  const app = createApp(telemetry);
  setTimeout(() => void app.shutdown(), 25_000);
  await app.run();
  // Print the metrics now rather than at the next interval, then flush and stop.
  await telemetry.meterProvider.forceFlush();
  await telemetry.meterProvider.shutdown();
  await telemetry.tracerProvider.shutdown();
}

if (require.main === module) void main();
