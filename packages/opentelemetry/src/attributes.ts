/** Span attribute names of a run (API §14). */
export const ATTR = {
  task: 'apogee.task',
  runId: 'apogee.run_id',
  execution: 'apogee.execution',
  scheduledAt: 'apogee.scheduled_at',
  lateness: 'apogee.start_lateness_ms',
  outcome: 'apogee.outcome',
} as const;

/**
 * OpenTelemetry's messaging conventions, for a queue run (a job a worker consumes): the
 * operation is `process`; `messaging.operation` is the name older backends read.
 */
export const MESSAGING = {
  system: 'messaging.system',
  destination: 'messaging.destination.name',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  operation: 'messaging.operation',
  messageId: 'messaging.message.id',
} as const;

/** Metric attribute names (as `@apogee/http`'s `/metrics` labels them). */
export const METRIC_ATTR = { task: 'task', outcome: 'outcome' } as const;
