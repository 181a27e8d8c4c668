/**
 * What observability costs per run (section 12): async no-op runs per second with no
 * instrumentation, with an instrumentation that watches nothing (the seam itself), with
 * `@apogee/opentelemetry` on the real SDK (spans and metrics, exported in batches to nowhere), and
 * with `GET /metrics`'s counters (`serveControl(app, { metrics: true })`).
 */
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * How runs are watched in one measurement. `span` is a reference, not a feature: the same SDK
 * setup as `otel`, and an instrumentation that only starts a bare span per run, makes it the
 * active span around the run's code and ends it (no attributes, no metrics): the floor the SDK
 * and its context manager set for a span that is active inside each run.
 */
export type Telemetry = 'off' | 'seam' | 'otel' | 'metrics' | 'span';

/** Spans and metrics go through the SDK's processors and readers, then nowhere: only Apogee's part and the SDK's are timed. */
async function otelOptions(bareSpan: boolean): Promise<{ options: object; close: () => Promise<void> }> {
  const { context, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { BasicTracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, PeriodicExportingMetricReader, AggregationTemporality } =
    await import('@opentelemetry/sdk-metrics');
  const { otel } = await import('@apogee/opentelemetry');
  // ExportResultCode.SUCCESS of @opentelemetry/core, which only the SDK depends on.
  const SUCCESS = 0;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const nowhere = {
    export: (_items: unknown, done: (result: { code: number }) => void) => {
      done({ code: SUCCESS });
    },
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
  };
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(nowhere)] });
  const meterProvider = new MeterProvider({
    readers: [
      new PeriodicExportingMetricReader({
        exporter: { ...nowhere, selectAggregationTemporality: () => AggregationTemporality.CUMULATIVE },
        exportIntervalMillis: 1000,
      }),
    ],
  });
  const tracer = tracerProvider.getTracer('bench');
  const bare = {
    runStarted: () => {
      const span = tracer.startSpan('apogee.run noop');
      return {
        enter: <T>(fn: () => T): T => context.with(trace.setSpan(context.active(), span), fn),
        ended: () => {
          span.end();
        },
      };
    },
  };
  return {
    options: bareSpan ? { instrumentation: bare } : otel({ tracerProvider, meterProvider }),
    close: async () => {
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    },
  };
}

/** Runs per second, wall and CPU µs per run of an async no-op task, watched as `telemetry` says. */
export async function observabilityCost(telemetry: Telemetry): Promise<object> {
  const { App, Arg, always } = await import('@apogee/core');
  const sdk =
    telemetry === 'otel' || telemetry === 'span' ? await otelOptions(telemetry === 'span') : undefined;
  const app = new App({
    ...(sdk?.options ?? {}),
    ...(telemetry === 'seam' ? { instrumentation: { runStarted: () => undefined } } : {}),
  });
  const control =
    telemetry === 'metrics'
      ? await (await import('@apogee/http')).serveControl(app, { port: 0, metrics: true })
      : undefined;
  const total = 400_000;
  const task = app.task(
    { name: 'noop', start: always, execution: 'async', maxBatches: total, inject: [Arg('b')] },
    (b: number) => b,
  );
  for (let i = 0; i < total; i++) task.run({ b: 1 });
  let runs = 0;
  app.events.subscribe((e) => {
    if (e.type === 'taskSucceeded') runs++;
  });
  const done = app.run({ handleSignals: false });
  await sleep(300);
  const runs0 = runs;
  const t0 = performance.now();
  // CPU time, not wall time: on a machine other processes load, the wall clock counts their turns too.
  const cpu0 = process.cpuUsage();
  await sleep(2000);
  const cpu = process.cpuUsage(cpu0);
  const elapsed = (performance.now() - t0) / 1000;
  const measured = runs - runs0;
  await control?.close();
  await app.shutdown();
  await done;
  await sdk?.close();
  return {
    runsPerSecond: measured / elapsed,
    usPerRun: (elapsed * 1e6) / measured,
    cpuUsPerRun: (cpu.user + cpu.system) / measured,
  };
}
