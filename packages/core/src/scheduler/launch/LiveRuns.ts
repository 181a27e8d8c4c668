import type { LiveRun } from '../../execution/LiveRun';
import type { RunHandle } from '../../execution/RunHandle';
import type { ScheduledTask } from '../task/ScheduledTask';

/** The runs a launcher has launched (or adopted) and not yet recorded as ended, per task. */
export class LiveRuns {
  // ---- state ----
  /**
   * Live runs per task (launched, not yet recorded as ended), oldest first. Arrays, not sets: a
   * task has one live run or a few, and a set's delete left a hole that made it rehash every few runs.
   */
  private readonly live = new Map<ScheduledTask, RunHandle[]>();

  /** Counts `run` among `task`'s live runs until it settles. */
  track(task: ScheduledTask, run: RunHandle): void {
    let runs = this.live.get(task);
    if (runs === undefined) {
      runs = [];
      this.live.set(task, runs);
    }
    runs.push(run);
    run.liveTask = task;
  }

  /** `run` is no longer live. */
  untrack(task: ScheduledTask, run: RunHandle): void {
    const runs = this.live.get(task);
    const at = runs === undefined ? -1 : runs.indexOf(run);
    if (at >= 0) (runs as RunHandle[]).splice(at, 1);
    run.liveTask = undefined;
  }

  /** The task of a live run; `undefined` once it has ended. */
  task(run: RunHandle): ScheduledTask | undefined {
    return run.liveTask as ScheduledTask | undefined;
  }

  /** The live runs of `task`. */
  of(task: ScheduledTask): Iterable<RunHandle> {
    return this.live.get(task) ?? [];
  }

  /** Live runs of `task`. */
  count(task: ScheduledTask): number {
    return this.live.get(task)?.length ?? 0;
  }

  /** Tasks that have (or had) live runs. */
  tasks(): Iterable<ScheduledTask> {
    return this.live.keys();
  }

  /** Runs under way, oldest first, of `task` or of every task. */
  list(task?: ScheduledTask): LiveRun[] {
    const out: LiveRun[] = [];
    const add = (runs: Iterable<RunHandle>): void => {
      for (const run of runs) {
        const { progress } = run;
        out.push({
          taskName: run.taskName,
          runId: run.runId,
          started: run.startDate ?? new Date(run.start),
          ...(progress === undefined ? {} : { progress }),
        });
      }
    };
    if (task === undefined) for (const runs of this.live.values()) add(runs);
    else add(this.live.get(task) ?? []);
    return out.sort((a, b) => a.started.getTime() - b.started.getTime());
  }

  /** Resolves once every run live now has ended. */
  async drain(task?: ScheduledTask): Promise<void> {
    const live = task === undefined ? [...this.live.values()] : [this.live.get(task) ?? []];
    await Promise.all(live.flatMap((runs) => [...runs].map((r) => r.done)));
  }
}
