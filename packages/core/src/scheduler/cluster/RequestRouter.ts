import { errorMessage } from '../../errors/errorMessage';
import type { EmissionQueues } from '../checks/EmissionQueues';
import type { Leadership } from './Leadership';
import type { RelayedRequest, RequestRelay } from './RequestRelay';
import type { Batch, ScheduledTask } from '../task/ScheduledTask';

/** Where the router carries out requests on the leader. */
export interface RequestTarget {
  /** The task called `name`, if this process has it. */
  find(name: string): ScheduledTask | undefined;
  /** Terminates the live runs of `task` here. */
  terminateHere(task: ScheduledTask): void;
}

/**
 * Decides where a request goes: carried out here on the leader (or without a relay), forwarded
 * through the {@link RequestRelay} on a replica that does not lead. On the leader it carries out
 * what other replicas forwarded.
 */
export class RequestRouter {
  constructor(
    private readonly relay: RequestRelay | undefined,
    private readonly leadership: Leadership,
    private readonly emissions: EmissionQueues,
    private readonly target: RequestTarget,
  ) {
    if (relay !== undefined) emissions.forwardWith(this.forwardEmission);
  }

  /** `task.run(params)` or a backfill's run: queued here, or sent to the leader with its reserved id. */
  submit(task: ScheduledTask, batch: Batch): string {
    if (!this.forwarding) return task.enqueue(batch);
    const { params, runId, scheduledAt } = batch;
    this.send({
      kind: 'run',
      taskName: task.name,
      params,
      runId,
      ...(scheduledAt === undefined ? {} : { scheduledAt }),
    });
    return batch.runId;
  }

  /** `task.terminate()`: whether it was sent to the leader (else it is carried out here). */
  terminate(task: ScheduledTask): boolean {
    if (!this.forwarding) return false;
    this.send({ kind: 'terminate', taskName: task.name });
    return true;
  }

  /** Starts carrying out forwarded requests (while this process leads); returns what stops it. */
  serve(): () => void {
    return this.relay?.serve(this.carryOut) ?? (() => undefined);
  }

  private get forwarding(): boolean {
    return this.relay !== undefined && !this.leadership.isLeader;
  }

  private readonly forwardEmission = (task: ScheduledTask, index: number, value: unknown): boolean => {
    if (!this.forwarding) return false;
    this.send({ kind: 'emission', taskName: task.name, index, value });
    return true;
  };

  private readonly carryOut = (request: RelayedRequest): void => {
    const task = this.target.find(request.taskName);
    if (task === undefined) {
      warn(`a replica asked for task "${request.taskName}", which this process does not have`);
      return;
    }
    try {
      if (request.kind === 'run') {
        const { params, runId, scheduledAt } = request;
        task.enqueue({ params, runId, ...(scheduledAt === undefined ? {} : { scheduledAt }) });
      } else if (request.kind === 'terminate') this.target.terminateHere(task);
      else this.emissions.push(task, request.index, request.value);
    } catch (error) {
      warn(`a "${request.kind}" request for task "${task.name}" failed: ${errorMessage(error)}`);
    }
  };

  private send(request: RelayedRequest): void {
    (this.relay as RequestRelay).forward(request).catch((error: unknown) => {
      warn(
        `a "${request.kind}" request for task "${request.taskName}" could not reach the leader: ${errorMessage(error)}`,
      );
    });
  }
}

function warn(message: string): void {
  process.emitWarning(`Apogee: ${message}.`, { code: 'APOGEE_RELAY' });
}
