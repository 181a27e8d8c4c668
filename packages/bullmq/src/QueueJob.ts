import type {
  RunHandle,
  StoredCancel,
  StoredQueueJob,
  StoredQueueResult,
  StoredRunUpdate,
} from '@apogee/core/internal';

/*
 * What travels through the queue. The shapes live in `@apogee/core/internal`, where every value
 * read back from a store is checked against them (`readStored`); these names are what this
 * package's code calls them.
 */

/** A queue run as a BullMQ job's data: JSON only (see `toJsonValue`), signed with a `secret`. */
export type QueueJob = StoredQueueJob;

/**
 * How a run ended, as the job's return value. Failures are results too, not BullMQ failures: an
 * error's name, code and stack survive only as data, and a BullMQ `failed` job then means only
 * that the job itself broke (its worker died, found by stalled-job detection) or was refused.
 */
export type QueueResult = StoredQueueResult;

/** What the cancel channel carries: abort this job's run wherever it executes. */
export type CancelMessage = StoredCancel;

/** What the update channel carries: a running job's progress or a line of its output. */
export type UpdateMessage = StoredRunUpdate;

/** A run's job id: the same for the same run, so that adding it twice (after a failover) adds it once. */
export const jobIdOf = (taskName: string, runId: string): string =>
  `${encodeURIComponent(taskName)}.${runId}`;

/**
 * A job's data with its run's trace context (`QueueJob.trace`), when an instrumentation carries
 * one: the run's span exists from its dispatch, so a worker's spans can be its children.
 */
export function withTrace(job: QueueJob, run: RunHandle): QueueJob {
  const carrier = run.observation?.worker?.carrier;
  return carrier === undefined ? job : { ...job, trace: carrier };
}
