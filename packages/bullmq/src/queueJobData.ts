import { SerializationError } from '@apogee/core';
import {
  jobPayload,
  prepareRun,
  signStored,
  type ExecutableTask,
  type ResolutionScope,
  type RunHandle,
} from '@apogee/core/internal';
import { toJsonValue } from './jsonValue';
import { withTrace, type QueueJob } from './QueueJob';

/**
 * A run's job data, prepared on the leader: its arguments resolved in `scope`, each checked that
 * it can cross as JSON, and (with a `secret`) signed, with the run's trace context when an instrumentation carries one. Everything a job
 * carries is built here.
 */
export async function queueJobData(
  task: ExecutableTask,
  scope: ResolutionScope,
  run: RunHandle,
  secrets: readonly string[],
): Promise<QueueJob> {
  const prepared = await prepareRun(task.signature, scope, (value, key) => {
    const encoded = toJsonValue(value, key);
    if ('path' in encoded)
      throw new SerializationError(task.name, key, encoded.path, encoded.problem, 'queue');
    return encoded.value ?? null;
  });
  const job = withTrace({ taskName: task.name, runId: run.runId, ...prepared }, run);
  return secrets.length === 0 ? job : { ...job, signature: signStored(secrets, 'job', jobPayload(job)) };
}
