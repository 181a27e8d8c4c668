import { context, trace, type Span } from '@opentelemetry/api';
import type { InstrumentedRunBegin, InstrumentedRunEnd, RunContextCarrier, RunObserver } from '@apogee/core';
import { ATTR } from './attributes';
import type { RunMetrics } from './RunMetrics';
import { endRunSpan } from './runSpan';
import type { TaskTelemetry } from './TaskTelemetry';

/**
 * `otel()`'s watch over one run: its span and its task's metrics. A class, so that a run costs
 * one object and no closures.
 */
export class RunSpanObserver implements RunObserver {
  constructor(
    private readonly span: Span,
    private readonly task: TaskTelemetry,
    private readonly metrics: RunMetrics,
    /** The span's W3C context, for a run whose code runs in a worker. */
    readonly carrier: RunContextCarrier | undefined,
  ) {}

  /** A queue run, observed from its dispatch, began on a worker: it counts as started from now. */
  begun(begin: InstrumentedRunBegin): void {
    this.span.setAttribute(ATTR.lateness, begin.lateness);
    this.metrics.started(this.task, begin.lateness);
  }

  /** Calls the run's code with its span as the active one. */
  enter<T>(fn: () => T): T {
    return context.with(trace.setSpan(context.active(), this.span), fn);
  }

  ended(end: InstrumentedRunEnd): void {
    endRunSpan(this.span, end);
    this.metrics.ended(this.task, end.action, end.duration);
  }
}
