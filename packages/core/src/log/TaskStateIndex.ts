import type { TaskStateView } from '../conditions/ConditionContext';
import type { RunAction } from '../conditions/runActions';
import type { RestoredTask } from './RunLog';
import { lastAt } from '../conditions/task/lastAt';
import type { RunRecord } from './RunRecord';
import { StatusWindows, type StatusWindow } from './StatusWindows';

interface MutableState {
  status: RunAction | undefined;
  lastRun: number | undefined;
  lastDue: number | undefined;
  lastSuccess: number | undefined;
  lastFail: number | undefined;
  lastTerminate: number | undefined;
  lastInaction: number | undefined;
  lastCrash: number | undefined;
  consecutiveFails: number;
  running: number;
  sequence: Partial<Record<RunAction, number>>;
}

/** The state of a task that never ran. */
export const EMPTY_STATE: TaskStateView = Object.freeze({
  status: undefined,
  lastRun: undefined,
  lastSuccess: undefined,
  lastFail: undefined,
  lastTerminate: undefined,
  lastInaction: undefined,
  lastCrash: undefined,
  consecutiveFails: 0,
  running: 0,
  sequence: Object.freeze({}),
});

/**
 * The last record of each action per task, and live-run counts, updated as records are
 * written. Task-state conditions read it in constant time instead of scanning the log.
 */
export class TaskStateIndex {
  private readonly states = new Map<string, MutableState>();
  private readonly windows = new StatusWindows();
  private order = 0;
  /** Told of each record folded in (a backfill waits for the end records of its runs). */
  private readonly listeners = new Set<(record: RunRecord) => void>();

  /** The state of `taskName` (empty if it never ran). */
  get(taskName: string): TaskStateView {
    return this.states.get(taskName) ?? EMPTY_STATE;
  }

  /**
   * The latest record of `window.actions` for `taskName` that fell inside an occurrence of
   * `window.period` (what `has succeeded today between 07:00 and 08:00` reads).
   */
  lastInside(taskName: string, window: StatusWindow): number | undefined {
    return this.windows.lastInside(taskName, window, (action) => lastAt(this.get(taskName), action));
  }

  /** Restricted status windows some condition asked about for `taskName`. */
  windowsOf(taskName: string): readonly StatusWindow[] {
    return this.windows.windowsOf(taskName);
  }

  /** Folds in an older record read back from the log, for the restricted status windows only. */
  noteInside(taskName: string, action: RunAction, at: number): void {
    this.windows.note(taskName, action, at);
  }

  /** Replaces a task's state with one a persistent log restored. */
  restore(task: RestoredTask): void {
    // Once per task at start (10,000 tasks: 10,000 calls), so no entries array per task.
    const last = task.last;
    const sequence: Partial<Record<RunAction, number>> = {};
    for (const action in last) {
      const seq = last[action as RunAction]?.sequence;
      if (seq === undefined) continue;
      sequence[action as RunAction] = seq;
      if (seq > this.order) this.order = seq;
    }
    const lastRun = last.run?.at.getTime();
    this.states.set(task.taskName, {
      status: task.status,
      lastRun,
      lastDue: lastRun,
      lastSuccess: last.success?.at.getTime(),
      lastFail: last.fail?.at.getTime(),
      lastTerminate: last.terminate?.at.getTime(),
      lastInaction: last.inaction?.at.getTime(),
      lastCrash: last.crash?.at.getTime(),
      consecutiveFails: task.consecutiveFails,
      running: 0,
      sequence,
    });
    this.windows.reseed(task.taskName, (action) => last[action]?.at.getTime());
  }

  /**
   * Sets when `taskName` last started and the latest instant a run was due for, read on this
   * process's clock: a new leader's reading of what the old leader wrote with its own clock (see
   * `takeoverGaps`).
   */
  rebaseLastRun(taskName: string, lastRun: number, lastDue: number): void {
    const s = this.states.get(taskName);
    if (s === undefined) return;
    s.lastRun = lastRun;
    s.lastDue = lastDue;
  }

  /** Fold one record in, then tell the listeners. */
  apply(record: RunRecord): void {
    this.fold(record);
    for (const listener of this.listeners) listener(record);
  }

  /**
   * Folds in a record another process's run left (the end a leader recorded for a dead process's
   * run): like {@link apply}, except that it counts no live run here up or down.
   */
  applyForeign(record: RunRecord): void {
    this.fold(record, false);
    for (const listener of this.listeners) listener(record);
  }

  /** Calls `listener` with every record folded in from now on; returns what stops that. */
  listen(listener: (record: RunRecord) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private fold(record: RunRecord, countsRuns = true): void {
    let s = this.states.get(record.taskName);
    if (s === undefined) {
      s = { ...EMPTY_STATE, lastDue: undefined, sequence: {} };
      this.states.set(record.taskName, s);
    }
    const at = record.created.getTime();
    this.windows.note(record.taskName, record.action, at);
    s.status = record.action;
    s.sequence[record.action] = ++this.order;
    switch (record.action) {
      case 'run':
        s.lastRun = at;
        // The latest, not the last: a backfill's run of an old instant leaves the slots after it run.
        s.lastDue = Math.max(s.lastDue ?? -Infinity, record.scheduledAt?.getTime() ?? at);
        if (countsRuns) s.running++;
        return;
      case 'success':
        s.lastSuccess = at;
        s.consecutiveFails = 0;
        break;
      case 'fail':
        s.lastFail = at;
        s.consecutiveFails++;
        break;
      case 'terminate':
        s.lastTerminate = at;
        s.consecutiveFails = 0;
        break;
      case 'inaction':
        s.lastInaction = at;
        s.consecutiveFails = 0;
        break;
      case 'crash':
        s.lastCrash = at;
        s.consecutiveFails = 0;
        break;
    }
    if (countsRuns && s.running > 0) s.running--;
  }
}
