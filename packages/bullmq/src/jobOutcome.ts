import { TaskInaction } from '@apogee/core';
import { fromWireError, queueResultShape, readStored, type RunOutcome } from '@apogee/core/internal';
import { fromJsonValue } from './jsonValue';
import type { QueueResult } from './QueueJob';
import { QueueJobError } from './QueueJobError';
import type { QueueSettings } from './QueueSettings';

/**
 * How a run ended, from the return value of its completed job. The value is checked first: a
 * result that is not one (written by anything but this app's workers) fails the run, and is
 * reported as a warning naming the job.
 */
export function completedOutcome(
  jobId: string,
  result: unknown,
  settings: Pick<QueueSettings, 'names' | 'warnings'>,
): RunOutcome {
  const read = readStored(queueResultShape, result);
  if ('value' in read) return outcomeOf(read.value);
  const where = `job ${jobId} of queue ${settings.names.prefix}:${settings.names.queue}`;
  settings.warnings.skip(where, 'a job result', read.problem);
  return {
    action: 'fail',
    error: new QueueJobError(
      'QUEUE_RESULT_UNREADABLE',
      `the result of job ${jobId} ${read.problem}. Fix: nothing but this app's workers may write to ${where}.`,
    ),
  };
}

/**
 * How a run ended whose job failed in BullMQ: its worker stopped renewing the lock (`crash`), or
 * the job broke or was refused (`fail`). A task's own failure is a completed job, not this.
 */
export function failedOutcome(jobId: string, reason: string): RunOutcome {
  const stalled = /stalled/i.test(reason);
  const error = stalled
    ? new QueueJobError(
        'QUEUE_WORKER_LOST',
        `the worker running job ${jobId} stopped renewing its lock (its process died or hung): ${reason}`,
      )
    : new QueueJobError('QUEUE_JOB_FAILED', `job ${jobId} failed in BullMQ: ${reason}`);
  return stalled ? { action: 'crash', error } : { action: 'fail', error };
}

function outcomeOf(result: QueueResult): RunOutcome {
  if (result.type === 'success') return { action: 'success', returnValue: fromJsonValue(result.returnValue) };
  const error = fromWireError(result.error);
  if (result.type === 'inaction') {
    const inaction = new TaskInaction(error.message);
    if (error.stack !== undefined) inaction.stack = error.stack;
    return { action: 'inaction', error: inaction };
  }
  return { action: 'fail', error };
}
