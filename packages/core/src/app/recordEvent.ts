import type { RunRecord } from '../log/RunRecord';
import type { SchedulerEvent } from '../scheduler/events/SchedulerEvent';

/**
 * The event the leader emitted when it stored `record` (see `RunLauncher`), rebuilt from the
 * record: what a replica that does not lead emits for a run of the cluster, so `GET /events`,
 * `apogee trigger --wait` and the dashboard follow every run on any replica. A `crash` is a
 * `taskFailed`, as on the leader.
 */
export function recordEvent(record: RunRecord): SchedulerEvent {
  const { taskName, runId, created: at } = record;
  switch (record.action) {
    case 'run':
      return { type: 'taskStarted', taskName, runId, at };
    case 'success':
      return { type: 'taskSucceeded', taskName, runId, at, returnValue: record.returnValue };
    case 'fail':
    case 'crash':
      return { type: 'taskFailed', taskName, runId, at, error: record.error };
    case 'inaction':
      return { type: 'taskInacted', taskName, runId, at };
    case 'terminate':
      return { type: 'taskTerminated', taskName, runId, at, reason: record.error };
  }
}
