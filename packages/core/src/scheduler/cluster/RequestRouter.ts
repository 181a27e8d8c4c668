import { processWarning, type Warning } from '../../logging/FoldedWarnings';
import { ApogeeError } from '../../errors/ApogeeError';
import { errorMessage } from '../../errors/errorMessage';
import { QueueFullError } from '../../errors/QueueFullError';
import type { EmissionQueues } from '../checks/EmissionQueues';
import type { Leadership } from './Leadership';
import type { RelayedRequest, RequestRelay } from './RequestRelay';
import type { Batch, ScheduledTask } from '../task/ScheduledTask';
import { WaitingGauge } from './WaitingGauge';

/** Where the router carries out requests on the leader. */
export interface RequestTarget {
  /** The task called `name`, if this process has it. */
  find(name: string): ScheduledTask | undefined;
  /** Every task of this process. */
  tasks(): readonly ScheduledTask[];
  /** Terminates the live runs of `task` here. */
  terminateHere(task: ScheduledTask): void;
  /** Where warnings go (the app's logger); default `process.emitWarning`. */
  readonly warn?: (warning: Warning) => void;
}

/**
 * Decides where a request goes: carried out here on the leader (or without a relay), forwarded
 * through the {@link RequestRelay} on a replica that does not lead. On the leader it carries out
 * what other replicas forwarded, and keeps the store's count of each task's waiting runs (the
 * {@link WaitingGauge}) by which the store refuses a forwarded run beyond `maxBatches`.
 */
export class RequestRouter {
  private readonly gauge: WaitingGauge;

  constructor(
    private readonly relay: RequestRelay | undefined,
    private readonly leadership: Leadership,
    private readonly emissions: EmissionQueues,
    private readonly target: RequestTarget,
  ) {
    if (relay !== undefined) emissions.forwardWith(this.forwardEmission);
    this.gauge = new WaitingGauge(relay, leadership);
  }

  /**
   * `task.run(params)` or a backfill's run: queued here, or sent to the leader with its reserved
   * id. A refusal that comes back after this returned (`maxBatches`) is warned of here, in the
   * caller's process.
   */
  submit(task: ScheduledTask, batch: Batch): string {
    if (!this.forwarding) return task.enqueue(batch);
    (this.relay as RequestRelay).forward(runRequest(task, batch)).catch((error: unknown) => {
      this.warn(
        error instanceof QueueFullError
          ? `run ${batch.runId} of task "${task.name}" was refused and not queued: ${String(error.waiting)} runs already wait or are on their way to the leader (its maxBatches is ${String(error.maxBatches)})`
          : `a "run" request for task "${task.name}" could not reach the leader: ${errorMessage(error)}`,
      );
    });
    return batch.runId;
  }

  /**
   * {@link submit} for a caller that can wait (the control API): resolves once the leader's store
   * took the request (or it is queued here), rejects with `QueueFullError` when it refused it.
   * `bound`, when below the task's `maxBatches`, is the store's bound instead (the control API's
   * `maxQueuedBatches`); here on the leader the caller checks its own.
   */
  async submitAwaited(task: ScheduledTask, batch: Batch, bound?: number): Promise<string> {
    if (!this.forwarding) return task.enqueue(batch);
    try {
      await (this.relay as RequestRelay).forward(runRequest(task, batch, bound));
    } catch (error) {
      if (error instanceof QueueFullError) throw error;
      throw new ApogeeError(
        'RELAY_FAILED',
        `Run ${batch.runId} of task "${task.name}" was not queued: it could not reach the leader (${errorMessage(error)}).\n` +
          'Fix: check the shared store (its warnings name what failed), then ask again.',
        { taskName: task.name, cause: error },
      );
    }
    return batch.runId;
  }

  /** `task`'s queue grew or shrank: the store's count follows while this process leads. */
  batchesChanged(task: ScheduledTask): void {
    this.gauge.changedIn(task);
  }

  /** `task.terminate()`: whether it was sent to the leader (else it is carried out here). */
  terminate(task: ScheduledTask): boolean {
    if (!this.forwarding) return false;
    this.send({ kind: 'terminate', taskName: task.name });
    return true;
  }

  /** Starts carrying out forwarded requests (while this process leads); returns what stops it. */
  serve(): () => void {
    return (
      this.relay?.serve(this.carryOut, () => this.gauge.snapshot(this.target.tasks())) ?? (() => undefined)
    );
  }

  private get forwarding(): boolean {
    return this.relay !== undefined && !this.leadership.isLeader;
  }

  private readonly forwardEmission = (task: ScheduledTask, index: number, value: unknown): boolean => {
    if (!this.forwarding) return false;
    this.send({ kind: 'emission', taskName: task.name, index, value });
    return true;
  };

  /** Carries out a forwarded request; for a run, returns the task's waiting runs for the store. */
  private readonly carryOut = (request: RelayedRequest): number | undefined => {
    const task = this.target.find(request.taskName);
    if (task === undefined) {
      this.warn(`a replica asked for task "${request.taskName}", which this process does not have`);
      return undefined;
    }
    try {
      if (request.kind === 'run') {
        const { params, runId, scheduledAt } = request;
        task.enqueue({ params, runId, ...(scheduledAt === undefined ? {} : { scheduledAt }) });
      } else if (request.kind === 'terminate') this.target.terminateHere(task);
      else this.emissions.push(task, request.index, request.value);
    } catch (error) {
      this.warn(`a "${request.kind}" request for task "${task.name}" failed: ${errorMessage(error)}`);
    }
    return request.kind === 'run' ? this.gauge.stored(task) : undefined;
  };

  private send(request: RelayedRequest): void {
    (this.relay as RequestRelay).forward(request).catch((error: unknown) => {
      this.warn(
        `a "${request.kind}" request for task "${request.taskName}" could not reach the leader: ${errorMessage(error)}`,
      );
    });
  }

  private warn(message: string): void {
    (this.target.warn ?? processWarning)({
      code: 'APOGEE_RELAY',
      cause: message,
      message: () => `Apogee: ${message}.`,
    });
  }
}

/** The request that carries `batch` of `task` to the leader, with the task's bound. */
function runRequest(task: ScheduledTask, batch: Batch, bound = Infinity): RelayedRequest {
  const { params, runId, scheduledAt } = batch;
  return {
    kind: 'run',
    taskName: task.name,
    params,
    runId,
    ...(scheduledAt === undefined ? {} : { scheduledAt }),
    maxBatches: Math.min(task.definition.maxBatches, bound),
  };
}
