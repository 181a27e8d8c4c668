import type { QueueContext } from '@apogee/core/internal';
import {
  jobPayload,
  queueJobShape,
  readStoredValue,
  verifyStored,
  type ExecutableTask,
} from '@apogee/core/internal';
import type { QueueJob } from './QueueJob';
import type { QueueSettings } from './QueueSettings';

/** A job a worker may run: its checked data and the task it runs. */
export interface AdmittedJob {
  readonly data: QueueJob;
  readonly task: ExecutableTask;
}

/**
 * What a worker checks before it runs a job, since anything that can write to Redis can add one:
 * the data has the shape of a job (and, with a `secret`, the leader's HMAC); the task exists here
 * and has execution `'queue'`; and the run was claimed by a leader through the start fence (which
 * also refuses a condition start of a paused task). Without a `secret` only the claim check stands
 * between a job added by hand and its run, and whoever writes the job can write a claim too: the
 * check keeps stray and stale jobs out, the HMAC keeps out forged ones. Without this a job added by hand would run any
 * task with raw arguments, past parameter resolution, the disabled flag, the claim and the log.
 */
export class JobGate {
  constructor(
    private readonly settings: Pick<QueueSettings, 'names' | 'secrets' | 'warnings'>,
    private readonly app: QueueContext,
  ) {}

  /** The job to run, or why it is refused (already reported as a warning naming the job). */
  async admit(jobId: string, data: unknown): Promise<AdmittedJob | { readonly refused: string }> {
    const read = readStoredValue(queueJobShape, data);
    if ('problem' in read) {
      this.settings.warnings.skip(this.where(jobId), 'a queue job', read.problem);
      return { refused: `its data is not a queue job: ${read.problem}` };
    }
    const job = read.value;
    const refusal = await this.check(job);
    if (refusal !== undefined) {
      this.settings.warnings.refuse(this.where(jobId), `a job of task "${job.taskName}"`, refusal);
      return { refused: refusal };
    }
    return { data: job, task: this.app.findTask(job.taskName) as ExecutableTask };
  }

  /** The job, for a warning (built only for one: most jobs are admitted). */
  private where(jobId: string): string {
    return `job ${jobId} of queue ${this.settings.names.prefix}:${this.settings.names.queue}`;
  }

  private async check(job: QueueJob): Promise<string | undefined> {
    const { secrets } = this.settings;
    if (secrets.length > 0 && !verifyStored(secrets, 'job', jobPayload(job), job.signature))
      return job.signature === undefined ? 'it is not signed' : 'its signature does not match';
    const task = this.app.findTask(job.taskName);
    if (task === undefined) return `task "${job.taskName}" is not registered in this instance's app`;
    if (task.execution !== 'queue')
      return `task "${job.taskName}" has execution '${task.execution}', not 'queue'`;
    // Start-up and shutdown runs belong to each process and are never claimed; without a fence (a
    // lease set by hand, in tests) there is no claim to check against.
    if (task.onStartup === true || task.onShutdown === true) return undefined;
    return this.app.fence?.verifyClaim?.(job.taskName, job.runId);
  }
}
