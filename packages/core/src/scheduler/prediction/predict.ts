import type { TaskStateView } from '../../conditions/ConditionContext';
import { CheckContext, type CheckHost } from '../checks/CheckContext';
import { predictableNow } from '../checks/heldCondition';
import { isThenable } from '../../util/isThenable';
import type { ScheduledTask } from '../task/ScheduledTask';
import { WakeQueue } from '../loop/WakeQueue';

/**
 * Condition checks one `nextRun()` may spend. A check costs about 5–20 µs (a time period in a
 * time zone is the dear part), so this bounds a call to a few milliseconds. Most conditions need
 * one or two checks: each check returns the next instant its value can change, and the
 * simulation jumps there. Only a condition that stays false across many such instants (`~hourly`
 * steps an hour at a time and is never true) uses the budget up; it is then "not predictable".
 */
export const NEXT_RUN_STEPS = 256;
/** Checks `upcoming(n)` may spend: two per predicted run, on top of {@link NEXT_RUN_STEPS}, at most {@link MAX_UPCOMING_STEPS}. */
export const MAX_UPCOMING_STEPS = 4096;

/** The work one prediction call may still do, shared by every task it looks at. */
export interface StepBudget {
  left: number;
}

/** The condition checks `upcoming(n)` may spend. */
export const upcomingBudget = (n: number): StepBudget => ({
  left: Math.min(NEXT_RUN_STEPS + 2 * n, MAX_UPCOMING_STEPS),
});

/**
 * One task's simulated future: the instant it is at, and its own state as simulated runs left it
 * (from its real state, or from `start` given: a backfill simulates a task that never ran).
 */
export class Simulation {
  /** The instant of the next check. */
  at: number;
  /** The task's own state, with the simulated runs so far. */
  private overlay: TaskStateView;
  private lastTrue: number | undefined;

  constructor(
    readonly task: ScheduledTask,
    from: number,
    private readonly host: CheckHost,
    start?: TaskStateView,
  ) {
    this.at = from;
    this.overlay = start ?? host.state(task.name);
  }

  /** One check at `at`: the instant of a run, or `undefined`; `at` is `Infinity` once nothing more can be predicted. */
  step(): number | undefined {
    const t = this.at;
    const result = this.task.definition.start.evaluate(
      new CheckContext(this.host, this.task, t, this.overlay),
    );
    if (isThenable(result)) {
      this.at = Infinity;
      return undefined;
    }
    if (result.value) {
      if (this.lastTrue === t) {
        // True again at the same instant after a run: nothing more to predict.
        this.at = Infinity;
        return undefined;
      }
      this.lastTrue = t;
      this.ran(t);
      return t;
    }
    this.at = Number.isFinite(result.next) && result.next > t ? result.next : Infinity;
    return undefined;
  }

  /** Assumes a run at `t` that succeeds at once. */
  private ran(t: number): void {
    const o = this.overlay;
    const run = o.sequence.run ?? 0;
    this.overlay = {
      ...o,
      status: 'success',
      lastRun: t,
      // Due at `t`: `cron` compares its slot with this when there is one.
      lastDue: t,
      lastSuccess: t,
      consecutiveFails: 0,
      running: 0,
      sequence: { ...o.sequence, run: run + 2, success: run + 3 },
    };
  }
}

const predictable = (task: ScheduledTask, host: CheckHost): boolean => {
  const def = task.definition;
  return !task.disabled && !def.onStartup && !def.onShutdown && predictableNow(def.start, host);
};

/**
 * The next `count` runs of `tasks` from `from` on, soonest first: the instants at which each
 * task's start condition holds, assuming each run succeeds at once. The tasks are simulated side
 * by side, always advancing the one that is furthest behind, so the work goes where the soonest
 * runs are and stops once `count` are found or `budget` is spent (then fewer are returned). A
 * task whose condition is not predictable (a custom condition, another task, an observable; a
 * `fromParam` is judged by the condition it holds now), and
 * disabled, start-up and shutdown tasks, are left out. Reads `host`, changes nothing.
 */
export function predictRuns(
  tasks: Iterable<ScheduledTask>,
  from: number,
  count: number,
  host: CheckHost,
  budget: StepBudget,
): { task: ScheduledTask; at: number }[] {
  const out: { task: ScheduledTask; at: number }[] = [];
  const queue = new WakeQueue<Simulation>();
  for (const task of tasks) if (predictable(task, host)) queue.set(new Simulation(task, from, host), from);
  while (out.length < count && budget.left > 0) {
    const soonest = queue.peek();
    if (!Number.isFinite(soonest)) break;
    for (const sim of queue.popDue(soonest)) {
      if (budget.left <= 0 || out.length >= count) break;
      budget.left--;
      const at = sim.step();
      if (at !== undefined) out.push({ task: sim.task, at });
      queue.set(sim, sim.at);
    }
  }
  return out;
}

/** {@link predictRuns} for one task: the instants of its next `count` runs. */
export function predict(
  task: ScheduledTask,
  from: number,
  count: number,
  host: CheckHost,
  budget: StepBudget = { left: NEXT_RUN_STEPS },
): number[] {
  return predictRuns([task], from, count, host, budget).map((r) => r.at);
}

/** The instant a task is owed a run its policy holds back (a drawn jitter, a queued overlap). */
export type OwedStart = (task: ScheduledTask) => number | undefined;
const NOTHING_OWED: OwedStart = () => undefined;

/** `task.nextRun()`: now when a batch waits, else the run it is owed, else the first predicted one. */
export function nextRunOf(
  task: ScheduledTask,
  now: number,
  host: CheckHost,
  owedStart: OwedStart = NOTHING_OWED,
): Date | undefined {
  if (task.batchCount > 0) return new Date(now);
  const owed = owedStart(task);
  if (owed !== undefined) return new Date(owed);
  const [first] = predict(task, now, 1, host);
  return first === undefined ? undefined : new Date(first);
}

/**
 * The next `n` predicted runs across `tasks`, soonest first (tasks whose runs cannot be predicted
 * are left out), within a bounded amount of work (see {@link upcomingBudget}).
 */
export function upcomingRuns(
  tasks: readonly ScheduledTask[],
  now: number,
  n: number,
  host: CheckHost,
  owedStart: OwedStart = NOTHING_OWED,
): { taskName: string; at: Date }[] {
  const queued = tasks.flatMap((task) => {
    const at = task.batchCount > 0 ? now : owedStart(task);
    return at === undefined ? [] : [{ task, at }];
  });
  // A task owed a run (a drawn jitter, a queued overlap) shows that run; its later ones come
  // after it starts. Ties go by registration order, a task's queued batch before its predicted runs.
  const free = tasks.filter((t) => owedStart(t) === undefined);
  return [...queued, ...predictRuns(free, now, n, host, upcomingBudget(n))]
    .sort((a, b) => a.at - b.at || a.task.order - b.task.order)
    .slice(0, n)
    .map((r) => ({ taskName: r.task.name, at: new Date(r.at) }));
}
