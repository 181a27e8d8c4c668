import {
  SpanKind,
  SpanStatusCode,
  context,
  type Attributes,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import type { InstrumentedRunEnd, InstrumentedRunStart } from '@apogee/core';
import { ATTR, MESSAGING } from './attributes';
import { isoTime } from './isoTime';
import type { TaskTelemetry } from './TaskTelemetry';

/**
 * Opens the span of a run that has just begun: `apogee.run <task>`. A queue run's is a consumer's
 * span opened when the run is handed to the queue (its context travels with the job); its
 * lateness is known, and set, when a worker begins it.
 */
export function startRunSpan(tracer: Tracer, run: InstrumentedRunStart, task: TaskTelemetry): Span {
  if (run.execution === 'queue') return startQueueRunSpan(tracer, run, task);
  // The names of ATTR, written out: an object literal with literal keys is built from a template,
  // one with computed keys a property at a time (this runs for every run).
  const attributes: Attributes = {
    'apogee.task': run.taskName,
    'apogee.run_id': run.runId,
    'apogee.execution': run.execution,
    'apogee.scheduled_at': isoTime(run.scheduledAt),
    'apogee.start_lateness_ms': run.lateness,
  };
  return tracer.startSpan(
    task.spanName,
    { kind: SpanKind.INTERNAL, startTime: run.start, attributes },
    context.active(),
  );
}

function startQueueRunSpan(tracer: Tracer, run: InstrumentedRunStart, task: TaskTelemetry): Span {
  const attributes: Attributes = {
    [ATTR.task]: run.taskName,
    [ATTR.runId]: run.runId,
    [ATTR.execution]: run.execution,
    [ATTR.scheduledAt]: isoTime(run.scheduledAt),
  };
  const { queue, messageId } = run;
  if (queue !== undefined) {
    attributes[MESSAGING.system] = queue.system;
    attributes[MESSAGING.destination] = queue.destination;
    attributes[MESSAGING.operationType] = 'process';
    attributes[MESSAGING.operationName] = 'process';
    attributes[MESSAGING.operation] = 'process';
    if (messageId !== undefined) attributes[MESSAGING.messageId] = messageId;
  }
  return tracer.startSpan(
    task.spanName,
    { kind: SpanKind.CONSUMER, startTime: run.start, attributes },
    context.active(),
  );
}

/**
 * Closes a run's span with its outcome. A failure, a crash and a termination (a timeout included)
 * are errors with an exception event; an inaction (`TaskInaction`) is the task's own choice, not one.
 */
export function endRunSpan(span: Span, end: InstrumentedRunEnd): void {
  span.setAttribute(ATTR.outcome, end.action);
  if (end.action === 'fail' || end.action === 'crash' || end.action === 'terminate') {
    const { error } = end;
    span.recordException(error instanceof Error ? error : String(error), end.end);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof Error ? error.message : String(error),
    });
  }
  span.end(end.end);
}
