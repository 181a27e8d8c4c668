import { context, trace } from '@opentelemetry/api';
import type { RunContextCarrier } from '@apogee/core';
import { fromCarrier } from './traceCarrier';

/**
 * What a thread or process worker calls around a task (the module `otel()` names as its
 * `workerModule`): the run's span, described by the carrier, is the active span while `fn` runs,
 * so spans the task opens are its children. It needs a context manager registered in the worker
 * (an OpenTelemetry SDK set up in the task's module or with `--import`); without one `fn` runs
 * as is.
 */
export function runInContext<T>(carrier: RunContextCarrier, fn: () => T): T {
  const parent = fromCarrier(carrier);
  if (parent === undefined) return fn();
  return context.with(trace.setSpanContext(context.active(), parent), fn);
}
