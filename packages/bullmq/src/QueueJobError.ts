import { ApogeeError } from '@apogee/core';

/** What went wrong with a queue run's job, as its `code`. */
export type QueueJobProblem =
  /** The app is not running, so its queue is closed: nothing can be added. */
  | 'QUEUE_CLOSED'
  /** A worker refused the job (its data, signature, task or claim did not check out). */
  | 'QUEUE_JOB_REFUSED'
  /** The job's result read back from Redis is not a run's result. */
  | 'QUEUE_RESULT_UNREADABLE'
  /** The worker running the job stopped renewing its lock: its process died or hung. */
  | 'QUEUE_WORKER_LOST'
  /** BullMQ failed the job for a reason of its own. */
  | 'QUEUE_JOB_FAILED';

/**
 * A queue run that ended without its task's own outcome: the job could not be added, was refused,
 * or came back unreadable or failed in BullMQ. The message names the job, the queue and the fix.
 */
export class QueueJobError extends ApogeeError {
  constructor(code: QueueJobProblem, message: string, taskName?: string) {
    super(code, `@apogee/bullmq: ${message}`, taskName === undefined ? {} : { taskName });
  }
}
