import { lastAt } from '../conditions/task/lastAt';
import { errorMessage } from '../errors/errorMessage';
import type { Warning } from '../logging/FoldedWarnings';
import type { RunLog } from '../log/RunLog';
import type { RunRecord } from '../log/RunRecord';
import type { TaskStateIndex } from '../log/TaskStateIndex';
import type { Leadership } from '../scheduler/cluster/Leadership';
import type { EventSink } from '../scheduler/events/EventSink';
import type { ReturnStore } from '../scheduler/recording/LogRecorder';
import { recordEvent } from './recordEvent';

/** What a {@link SharedLogFollower} folds records into and tells of them. */
export interface SharedLogFollowerParts {
  readonly log: RunLog;
  readonly leadership: Leadership;
  readonly state: TaskStateIndex;
  readonly returns: ReturnStore;
  /** The app's events: a replica that does not lead emits each run's events from its records. */
  readonly events: EventSink;
  readonly warn: (warning: Warning) => void;
}

/**
 * While this process does not lead, folds the records other processes store in a shared log into
 * its task state, so `task.status`, `lastRun` and `app.session.returns` on any replica show what
 * the leader did, and emits the run events the leader emitted for them (`taskStarted`,
 * `taskSucceeded`, ...), so `app.events` (and `GET /events`) follow every run of the cluster. A
 * leader needs none of it: it writes those records itself, and restored the log when it gained
 * the leadership.
 *
 * A restore reads a snapshot of the log and then replaces the task states with it: a record that
 * arrives between the two would be overwritten by the older snapshot. So records are also held
 * from {@link hold} to {@link release}, and those the snapshot does not contain are folded in
 * again on top of it.
 */
export class SharedLogFollower {
  private held: RunRecord[] | undefined;

  constructor(private readonly parts: SharedLogFollowerParts) {}

  /**
   * Follows the log from now on (`restore` reads the task states again after a reconnection
   * that lost records); resolves, once the log delivers every record stored from then
   * on, with what stops it (nothing to stop for a log that is not shared).
   */
  async start(restore: () => Promise<void>): Promise<(() => void) | undefined> {
    return this.parts.log.watch?.(
      (record) => {
        this.received(record);
      },
      () => {
        // Records published while the connection was down are gone: read the states again.
        if (this.parts.leadership.isLeader) return;
        restore().catch((error: unknown) => {
          this.parts.warn({
            code: 'APOGEE_RESTORE_FAILED',
            message: () =>
              `Apogee: this replica reconnected to the shared log but could not read the task states again (${errorMessage(error)}); they refresh with the next records.`,
          });
        });
      },
    );
  }

  /** A restore is about to read the log: keep what arrives until {@link release}. */
  hold(): void {
    this.held ??= [];
  }

  /**
   * The restore has replaced the task states: folds in again each record held meanwhile that
   * came after what the restore read (the restored task's last record of that action is older).
   */
  release(): void {
    const held = this.held ?? [];
    this.held = undefined;
    const { state, returns } = this.parts;
    for (const record of held) {
      const restored = lastAt(state.get(record.taskName), record.action);
      if (restored !== undefined && restored >= record.created.getTime()) continue;
      state.apply(record);
      if (record.action === 'success') returns.setReturn(record.taskName, record.returnValue);
    }
  }

  private received(record: RunRecord): void {
    const { leadership, state, returns, events } = this.parts;
    if (leadership.isLeader) return;
    this.held?.push(record);
    state.apply(record);
    if (record.action === 'success') returns.setReturn(record.taskName, record.returnValue);
    if (events.listening) events.notify(recordEvent(record));
  }
}
