import type { RunAction } from '../../conditions/runActions';
import { ApogeeError } from '../../errors/ApogeeError';
import { errorMessage } from '../../errors/errorMessage';
import { nextRunId } from '../../execution/nextRunId';
import type { RunRecord } from '../../log/RunRecord';
import { checkBackfillRange, type BackfillOptions, type BackfillReport } from './BackfillRange';
import type { RunHistory } from './RunHistory';
import type { Batch, ScheduledTask } from '../task/ScheduledTask';

/** What the backfills read and where their runs go. */
export interface BackfillPorts {
  readonly history: RunHistory;
  now(): number;
  /** Whether the scheduler runs (queued runs start only then). */
  isRunning(): boolean;
  /** The instants of `task`'s schedule in `[from, to)`, oldest first (see `scheduleInstants`). */
  instants(task: ScheduledTask, from: number, to: number): number[];
  /** Queues one run: here on the leader, or sent to it. */
  submit(task: ScheduledTask, batch: Batch): void;
}

/** End actions a backfill counts as failed. */
const FAILED: ReadonlySet<RunAction> = new Set(['fail', 'terminate', 'crash']);

/**
 * A backfill under way: its task, the instants it holds (no other backfill here runs them), and
 * how to stop waiting for it.
 */
interface Active {
  readonly taskName: string;
  readonly claimed: ReadonlySet<number>;
  /** Set when it was interrupted before its runs were queued. */
  interrupted: boolean;
  interrupt(): void;
}

/**
 * Runs `task.backfill(...)`: finds the instants of the range, leaves out those that already have
 * a run (recorded with that `scheduledAt`, or queued by another backfill here), and queues one run
 * per remaining instant, oldest first, at most `concurrency` waiting or running at a time. The
 * runs go where `task.run()` goes (to the leader on many instances), so the task's own policies
 * apply to them; each one's end is read from the records this process learns of.
 */
export class Backfills {
  private readonly active = new Set<Active>();

  constructor(private readonly ports: BackfillPorts) {}

  async run(task: ScheduledTask, options: BackfillOptions): Promise<BackfillReport> {
    const { from, to, concurrency } = checkBackfillRange(task.name, options, this.ports.now());
    const instants = this.ports.instants(task, from, to);
    if (!this.ports.isRunning())
      throw new ApogeeError(
        'SCHEDULER_STATE',
        `task.backfill() of task "${task.name}": the app is not running, so its runs would never start. ` +
          'Fix: call it once app.run() has started (from a task, an HTTP request, or after the schedulerStarted event).',
        { taskName: task.name },
      );
    this.warnBeyondLog(task.name, instants.length);
    // Claimed before the log is read (an await): a backfill of the same task started meanwhile
    // sees these instants as taken, so overlapping backfills run each instant once.
    const backfill = this.claim(task.name, instants);
    let done: Set<number>;
    try {
      done = await this.alreadyRun(task.name, from, to);
    } catch (error) {
      this.active.delete(backfill);
      throw error;
    }
    const todo = [...backfill.claimed].filter((t) => !done.has(t));
    const report = {
      instants: instants.length,
      started: 0,
      skipped: instants.length - todo.length,
      failed: 0,
    };
    const progress = (): void => {
      try {
        options.onProgress?.({ ...report });
      } catch (error) {
        // The caller's display failing is no reason to stop runs already queued.
        process.emitWarning(
          `Apogee: onProgress of the backfill of task "${task.name}" threw: ${errorMessage(error)}.`,
        );
      }
    };
    progress();
    await this.runAll(task, backfill, todo, concurrency, report, progress);
    return report;
  }

  /**
   * Stops the backfills under way, of `taskName` or of every task (the scheduler stopped, the
   * task was removed): each rejects, saying how far it got.
   */
  interrupt(taskName?: string): void {
    for (const backfill of [...this.active])
      if (taskName === undefined || backfill.taskName === taskName) backfill.interrupt();
  }

  /**
   * Registers a backfill of `taskName` holding those of `instants` no other backfill here holds.
   * Until its runs are queued, an interrupt is noted and acted on then.
   */
  private claim(taskName: string, instants: readonly number[]): Active {
    const taken = new Set<number>();
    for (const other of this.active)
      if (other.taskName === taskName) for (const t of other.claimed) taken.add(t);
    const backfill: Active = {
      taskName,
      claimed: new Set(instants.filter((t) => !taken.has(t))),
      interrupted: false,
      interrupt: () => {
        backfill.interrupted = true;
      },
    };
    this.active.add(backfill);
    return backfill;
  }

  /**
   * Warns when the log keeps fewer records per task than the range's runs leave (two each): the
   * oldest are dropped, so a later backfill of the same range would run their instants again.
   */
  private warnBeyondLog(taskName: string, instants: number): void {
    const { recordsPerTask, warn } = this.ports.history;
    if (recordsPerTask === undefined || warn === undefined || 2 * instants <= recordsPerTask) return;
    warn({
      code: 'APOGEE_BACKFILL_BEYOND_LOG',
      taskName,
      message:
        `The backfill of task "${taskName}" covers ${String(instants)} instants, but the run log keeps ${String(recordsPerTask)} records per task (two per run), ` +
        `so it will remember only the last ${String(Math.floor(recordsPerTask / 2))} runs: a backfill of this range again would run the older instants again. ` +
        'Fix: use a persistent log (SqliteRunLog, redis(), postgres()) or a MemoryRunLog with a larger perTask, or backfill shorter ranges.',
    });
  }

  /** Instants in `[from, to)` that have a run recorded. */
  private async alreadyRun(taskName: string, from: number, to: number): Promise<Set<number>> {
    const records = await this.ports.history.records({ taskName, action: 'run' });
    // A run that started the moment it was due has no `scheduledAt`: its start is its instant.
    const instants = records.map((r) => (r.scheduledAt ?? r.start ?? r.created).getTime());
    return new Set(instants.filter((t) => t >= from && t < to));
  }

  private runAll(
    task: ScheduledTask,
    active: Active,
    todo: readonly number[],
    concurrency: number,
    report: { started: number; failed: number },
    progress: () => void,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const open = new Set<string>();
      let next = 0;
      const onRecord = (record: RunRecord): void => {
        if (!open.has(record.runId)) return;
        if (record.action === 'run') {
          report.started++;
          return;
        }
        open.delete(record.runId);
        if (FAILED.has(record.action)) report.failed++;
        progress();
        fill();
      };
      const stopListening = this.ports.history.listen(onRecord);
      active.interrupt = () => {
        finish(interrupted(task.name, report.started, todo.length));
      };
      const finish = (error?: Error): void => {
        stopListening();
        this.active.delete(active);
        if (error === undefined) resolve();
        else reject(error);
      };
      const fill = (): void => {
        try {
          while (open.size < concurrency && next < todo.length) {
            const runId = nextRunId();
            open.add(runId);
            this.ports.submit(task, { params: {}, runId, scheduledAt: todo[next++] });
          }
        } catch (error) {
          // A full queue (`maxBatches`) or a relay that failed: what was queued still runs.
          finish(error instanceof Error ? error : new Error(errorMessage(error)));
          return;
        }
        if (open.size === 0) finish();
      };
      if (active.interrupted) active.interrupt();
      else fill();
    });
  }
}

function interrupted(taskName: string, started: number, total: number): ApogeeError {
  return new ApogeeError(
    'BACKFILL_INTERRUPTED',
    `The backfill of task "${taskName}" stopped: the scheduler shut down or the task was removed after ${started} of its ${total} runs started. ` +
      'Fix: run the same backfill again once the app runs; instants that already have a run are skipped.',
    { taskName },
  );
}
