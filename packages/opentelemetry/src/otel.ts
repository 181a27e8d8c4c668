import { extname, join } from 'node:path';
import { metrics, trace, type MeterProvider, type TracerProvider } from '@opentelemetry/api';
import type { Instrumentation, InstrumentedRunStart, RunObserver } from '@apogee/core';
import { RunMetrics } from './RunMetrics';
import { startRunSpan } from './runSpan';
import { RunSpanObserver } from './RunSpanObserver';
import { toCarrier } from './traceCarrier';

/** Options of {@link otel}. */
export interface OtelOptions {
  /** Where run spans go. Default: the global tracer provider (`trace.getTracerProvider()`). */
  readonly tracerProvider?: TracerProvider;
  /** Where run metrics go. Default: the global meter provider (`metrics.getMeterProvider()`). */
  readonly meterProvider?: MeterProvider;
}

/** The instrumentation scope of Apogee's spans and metrics. */
export const INSTRUMENTATION_SCOPE = '@apogee/opentelemetry';

/** The module thread and process workers import to enter a run's context (compiled or TypeScript). */
const WORKER_MODULE = join(__dirname, `runInContext${extname(__filename)}`);

/** Executions whose code runs in another thread, process or instance: their span context travels. */
const remote = (execution: InstrumentedRunStart['execution']): boolean =>
  execution === 'thread' || execution === 'process' || execution === 'queue';

/**
 * OpenTelemetry for an app: spread the result into `new App({ ... })`. Each run gets a span
 * `apogee.run <task>` (API §14) that is the active span while the task runs, in this process
 * (`main`, `async`) or in a thread or process worker with its own SDK registered (the worker
 * enters it through `runInContext`; a queue worker through its own app's `otel()`); and the run metrics
 * `apogee.runs`, `apogee.run.duration`, `apogee.start.lateness`, `apogee.runs.active` and
 * `apogee.leader`. Bring the SDK: without one registered, the API's providers do nothing.
 *
 * @example
 * ```ts
 * const app = new App({ tasks: [Reports], ...otel() });
 * ```
 */
export function otel(options: OtelOptions = {}): { readonly instrumentation: Instrumentation } {
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer(INSTRUMENTATION_SCOPE);
  const runMetrics = new RunMetrics(
    (options.meterProvider ?? metrics.getMeterProvider()).getMeter(INSTRUMENTATION_SCOPE),
  );
  return {
    instrumentation: {
      workerModule: WORKER_MODULE,
      attach(app) {
        runMetrics.watch(app);
      },
      runStarted(run): RunObserver {
        const task = runMetrics.task(run.taskName);
        const span = startRunSpan(tracer, run, task);
        // A queue run is told of at its dispatch: it counts as started when a worker takes it.
        if (run.execution !== 'queue') runMetrics.started(task, run.lateness);
        const carrier = remote(run.execution) ? toCarrier(span.spanContext()) : undefined;
        return new RunSpanObserver(span, task, runMetrics, carrier);
      },
    },
  };
}
