import { jobPayload, queueJobShape, readStoredValue, verifyStored } from '@apogee/core/internal';
import type { Job } from 'bullmq';
import type { QueueJob } from './QueueJob';
import type { QueueSettings } from './QueueSettings';

/**
 * A job's data read back from Redis, checked (shape, and signature with a `secret`): a job that
 * fails the check is not this app's, so it is neither adopted nor counted as a live run.
 */
export function readJobData(
  job: Job,
  settings: Pick<QueueSettings, 'names' | 'secrets' | 'warnings'>,
): QueueJob | undefined {
  const read = readStoredValue(queueJobShape, job.data);
  const where = `job ${job.id ?? '?'} of queue ${settings.names.prefix}:${settings.names.queue}`;
  if ('problem' in read) {
    settings.warnings.skip(where, 'a queue job', read.problem);
    return undefined;
  }
  const { secrets } = settings;
  if (secrets.length > 0 && !verifyStored(secrets, 'job', jobPayload(read.value), read.value.signature)) {
    settings.warnings.refuse(
      where,
      `a job of task "${read.value.taskName}"`,
      'it carries no valid signature',
    );
    return undefined;
  }
  return read.value;
}
