import type { RunHandle } from '../../execution/RunHandle';
import type { RunOutcome } from '../../execution/runInProcess';
import type { RunRecord } from '../../log/RunRecord';
import { monotonicNow } from '../../time/Clock';
import type { ScheduledTask } from '../task/ScheduledTask';
import type { RunLauncherPorts } from './RunLauncherPorts';

/** How a run ended: its outcome, or a termination (timeout, `terminate()`, shutdown). */
export type Ending = RunOutcome | { readonly action: 'terminate'; readonly error: unknown };

/** What recording a run reads: where records and events go, and who hears of starts and ends. */
export type RunRecordingPorts = Pick<
  RunLauncherPorts,
  'clock' | 'recorder' | 'events' | 'instruments' | 'runEnded'
>;

/**
 * Records a run's start and end: the log record, the event, the instrumentation and the
 * `runEnded` port. The launcher decides when; this says what is written.
 */
export class RunRecording {
  constructor(private readonly ports: RunRecordingPorts) {}

  /** A run reported progress: a `taskProgress` event, when someone listens. */
  readonly progressed = (run: RunHandle): void => {
    const { events, clock } = this.ports;
    const progress = run.progress;
    if (!events.listening || progress === undefined) return;
    events.notify({
      type: 'taskProgress',
      taskName: run.taskName,
      runId: run.runId,
      at: new Date(clock.now()),
      ...progress,
    });
  };

  /**
   * Sets the run's start clocks and records its start (the `run` record, `taskStarted`): now, or
   * at `begunAt` for an adopted run that began earlier in another process.
   */
  started(task: ScheduledTask, run: RunHandle, begunAt?: number): void {
    const def = task.definition;
    const { clock, recorder, events } = this.ports;
    const start = begunAt ?? clock.now();
    run.start = start;
    run.monotonicStart =
      begunAt === undefined ? monotonicNow(clock) : monotonicNow(clock) - (clock.now() - begunAt);
    const at = new Date(start);
    run.startDate = at;
    recorder.record(
      withRunFields({ taskName: task.name, action: 'run', created: at, runId: run.runId, start: at }, run),
    );
    const { instruments } = this.ports;
    // A queue run is observed from its dispatch (see RunLauncher): it is told it began.
    if (run.observation !== undefined) run.observation.begun(start, run.dueAt);
    else if (instruments?.active === true)
      run.observation = instruments.started(task.name, run.runId, def.execution, start, run.dueAt);
    if (events.listening) events.notify({ type: 'taskStarted', taskName: task.name, runId: run.runId, at });
  }

  /** Records a settled run's end (its record, event, observation) and tells `runEnded`. */
  ended(task: ScheduledTask, run: RunHandle, outcome: Ending): void {
    const { clock, recorder, events } = this.ports;
    const end = clock.now();
    const at = new Date(end);
    const { runId } = run;
    const taskName = task.name;
    // The start Date of the 'run' record is shared: records are values, never mutated.
    const start = run.startDate ?? new Date(run.start);
    const runtime = end - run.start;
    const listening = events.listening;
    if (outcome.action === 'success') {
      const { returnValue } = outcome;
      recorder.record(
        withRunFields(
          { taskName, action: 'success', created: at, runId, start, end: at, runtime, returnValue },
          run,
        ),
      );
      recorder.setReturn(taskName, returnValue);
      if (listening) events.notify({ type: 'taskSucceeded', taskName, runId, at, returnValue });
    } else {
      const { action, error } = outcome;
      recorder.record(
        withRunFields({ taskName, action, created: at, runId, start, end: at, runtime, error }, run),
      );
      if (listening) {
        if (action === 'fail' || action === 'crash')
          events.notify({ type: 'taskFailed', taskName, runId, at, error });
        else if (action === 'inaction') events.notify({ type: 'taskInacted', taskName, runId, at });
        else events.notify({ type: 'taskTerminated', taskName, runId, at, reason: error });
      }
    }
    run.observation?.ended({ action: outcome.action, error: ended(outcome), end: at, duration: runtime });
    this.ports.runEnded?.(
      task,
      outcome.action,
      run,
      outcome.action === 'success' ? undefined : outcome.error,
    );
  }
}

/** What a run ended with: its error, or `undefined` on success. */
function ended(outcome: Ending): unknown {
  return outcome.action === 'success' ? undefined : outcome.error;
}

/**
 * `record` with the run's `scheduledAt` (only when the run was due for another instant than its
 * start) and its non-empty batch `parameters`, set in place: spreading objects for them cost a
 * run two allocations and a slow copy of each record.
 */
function withRunFields(record: Mutable<RunRecord>, run: RunHandle): RunRecord {
  const at = run.scheduledAt;
  if (at !== undefined && at !== run.start) record.scheduledAt = new Date(at);
  if (run.parameters !== undefined) record.parameters = run.parameters;
  return record;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
