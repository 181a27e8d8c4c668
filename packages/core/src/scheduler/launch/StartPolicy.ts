import type { Evaluation } from '../../conditions/Condition';
import type { Clock } from '../../time/Clock';
import type { ConditionChecker } from '../checks/ConditionChecker';
import { cronSlot, dueInstant } from '../prediction/dueInstant';
import type { EmissionQueues } from '../checks/EmissionQueues';
import type { EventSink } from '../events/EventSink';
import type { RunLauncher } from './RunLauncher';
import type { Batch, ScheduledTask } from '../task/ScheduledTask';
import type { WakeQueue } from '../loop/WakeQueue';

/** Default `config.minRunGap`, ms. */
export const DEFAULT_MIN_RUN_GAP = 1;

/** What the policy reads besides the scheduler's parts. */
export interface StartPolicyPorts {
  readonly clock: Clock;
  readonly events: EventSink;
  /** A number in [0, 1): where jitter delays are drawn. Default `Math.random`. */
  readonly random?: () => number;
  /** Least ms between two runs the start condition starts (see `AppConfig.minRunGap`). */
  readonly minRunGap?: number;
}

/** What the policy asks of the scheduler. */
export interface StartHost {
  /** Look at `task` in the next pass. */
  lookAt(task: ScheduledTask): void;
  requestPass(): void;
  /** Points the timer at the earliest due instant (a pass holding for a `main` run needs it). */
  arm(): void;
}

/** A task's policy state: one record per task that has needed any. */
interface PolicyState {
  /**
   * When the due instant last seen ends: the condition's `next` when it was true. Seen true again
   * before then, it is the same instant (a `daily` task is due all day, not once per check).
   */
  dueUntil: number;
  /**
   * A due instant seen while a run was live; skipped if it ends with no run of its own. A cron
   * slot (`slot`) is skipped when the live run ends, even while it is still open: its run would
   * start late, after the instant it was due.
   */
  missed: { readonly at: number; readonly until: number; readonly slot: boolean } | undefined;
  /** The end of a cron slot skipped while still open: no run starts on the condition before it. */
  closedUntil: number;
  /** A run the policy owes: queued behind a live one, replacing it, or waiting out its jitter. */
  owed: { readonly scheduledAt: number; readonly notBefore: number } | undefined;
  /** When a run the start condition started last began, for `minRunGap`. */
  lastStart: number;
  /** The instant the live run is due for, when it is a missed one run late (a `late` batch). */
  late: number | undefined;
}

/**
 * Decides whether a task may start now: its end condition, its run policies (overlap, jitter,
 * the minimum gap between condition starts), a batch, then its start condition. It keeps the
 * per-task state these need and starts runs through the launcher.
 */
/**
 * The state of a task that never needed one, shared by all of them; frozen, so a write meant for
 * a task's own record fails loudly instead of reaching every task.
 */
const NO_STATE: PolicyState = Object.freeze({
  dueUntil: -Infinity,
  missed: undefined,
  closedUntil: -Infinity,
  owed: undefined,
  lastStart: -Infinity,
  late: undefined,
});

export class StartPolicy {
  private readonly states = new Map<ScheduledTask, PolicyState>();
  private readonly random: () => number;
  private readonly minRunGap: number;

  constructor(
    private readonly ports: StartPolicyPorts,
    private readonly launcher: RunLauncher,
    private readonly checker: Pick<ConditionChecker, 'checkNow' | 'cron' | 'calendar' | 'sessionParameter'>,
    private readonly wakes: Pick<WakeQueue<ScheduledTask>, 'set'>,
    private readonly emissions: Pick<EmissionQueues, 'take'>,
    private readonly host: StartHost,
  ) {
    this.random = ports.random ?? Math.random;
    this.minRunGap = ports.minRunGap ?? DEFAULT_MIN_RUN_GAP;
  }

  /** When a run the policy owes will start (a jittered or queued run), if one is owed. */
  owedStart(task: ScheduledTask): number | undefined {
    const owed = this.states.get(task)?.owed;
    return owed === undefined ? undefined : Math.max(owed.notBefore, this.ports.clock.now());
  }

  /** Forgets the task's owed run and due instants (it was removed). */
  forget(task: ScheduledTask): void {
    this.states.delete(task);
  }

  /** Forgets every owed run and due instant (the scheduler stopped). */
  clear(): void {
    this.states.clear();
  }

  /**
   * Decides about one task: terminate on its end condition, start it, or note when to look
   * again. Returns the run to wait for when it starts a `main` run.
   */
  consider(task: ScheduledTask): Promise<void> | undefined {
    const def = task.definition;
    if (def.onStartup || def.onShutdown) return undefined;
    const { launcher } = this;
    const end =
      launcher.liveCount(task) > 0 && def.end !== undefined
        ? this.checker.checkNow(def.end, task)
        : undefined;
    if (end?.value === true) launcher.terminate(task, 'its end condition became true');
    const next = end === undefined || end.value ? Infinity : end.next;
    if (launcher.liveCount(task) > 0 && def.overlap !== 'allow') {
      this.whileRunning(task, next);
      return undefined;
    }
    // Most tasks are looked at far more often than they start: their record is made on first need.
    const state = this.states.get(task) ?? NO_STATE;
    const now = this.ports.clock.now();
    if (launcher.liveCount(task) === 0) this.settleMissed(task, state, now);
    if (!launcher.canLaunch(task)) {
      // Looked at again, in priority order with the others, when the executor has room.
      this.wakes.set(task, next);
      return undefined;
    }
    if (task.batchCount > 0) return this.start(task, task.takeBatch(), undefined);
    if (task.disabled) {
      if (state.owed !== undefined) state.owed = undefined;
      this.wakes.set(task, next);
      return undefined;
    }
    // A last start "in the future" means the wall clock was set back: no gap to wait out then.
    const gapEnd = now >= state.lastStart ? state.lastStart + this.minRunGap : -Infinity;
    const notBefore = Math.max(gapEnd, state.owed?.notBefore ?? -Infinity);
    if (now < notBefore) {
      this.wakes.set(task, Math.min(next, notBefore));
      return undefined;
    }
    if (state.owed !== undefined) {
      const { scheduledAt } = state.owed;
      state.owed = undefined;
      return this.startOnCondition(task, state, scheduledAt, now);
    }
    if (now < state.closedUntil) {
      this.wakes.set(task, Math.min(next, state.closedUntil));
      return undefined;
    }
    const start = this.checker.checkNow(def.start, task);
    if (!start.value) {
      // The run that just ended made it false (a daily task succeeded): the instant was its.
      if (state.missed !== undefined) state.missed = undefined;
      this.wakes.set(task, Math.min(next, start.next));
      return undefined;
    }
    const scheduledAt = this.dueInstant(task, now);
    const delay = def.jitter > 0 ? Math.floor(this.random() * def.jitter) : 0;
    const held = this.stateOf(task);
    held.dueUntil = start.next;
    if (delay >= 1) {
      held.owed = { scheduledAt, notBefore: now + delay };
      this.wakes.set(task, Math.min(next, now + delay));
      return undefined;
    }
    return this.startOnCondition(task, held, scheduledAt, now);
  }

  /**
   * The task has a live run and does not overlap: a due instant (its start condition turned true
   * again after the instant the run was started for ended) is skipped, queued or replaces the run.
   */
  whileRunning(task: ScheduledTask, next = Infinity): void {
    const def = task.definition;
    if (task.disabled) {
      this.wakes.set(task, next);
      return;
    }
    const start: Evaluation = this.checker.checkNow(def.start, task);
    const state = this.stateOf(task);
    const now = this.ports.clock.now();
    this.wakes.set(task, Math.min(next, start.next));
    if (state.missed !== undefined && now >= state.missed.until) this.skip(task, state, 'running');
    if (!start.value || now < state.dueUntil) return;
    // Late runs still queued come first (the slot open now among them): judged once they ran.
    if (state.late !== undefined && task.batchCount > 0) return;
    state.dueUntil = start.next;
    const slot = cronSlot(def.start, now, this.checker, def.calendar);
    const at = slot?.at ?? now;
    // A slot that opens behind a late run (a catch-up) is its own: it runs once the late ones did.
    if (def.overlap === 'skip' && state.late !== undefined && slot !== undefined) {
      // Its record may not be folded in yet: the live late run's own slot is not owed again.
      if (at > state.late && state.owed === undefined) state.owed = { scheduledAt: at, notBefore: now };
    } else if (def.overlap === 'skip') state.missed = { at, until: start.next, slot: slot !== undefined };
    else if (def.overlap === 'queue') {
      if (state.owed === undefined) state.owed = { scheduledAt: at, notBefore: now };
      else this.emitSkip(task, at, 'merged');
    } else {
      state.owed = { scheduledAt: at, notBefore: now };
      this.launcher.terminate(task, 'a new run replaced it (overlap: replace)');
      this.host.lookAt(task);
      this.host.requestPass();
    }
  }

  private startOnCondition(
    task: ScheduledTask,
    state: PolicyState,
    scheduledAt: number,
    now: number,
  ): Promise<void> | undefined {
    state.lastStart = now;
    // The instant it was due for gets its run, however late: not a skipped one.
    state.missed = undefined;
    return this.start(task, this.emissions.take(task), scheduledAt);
  }

  private start(
    task: ScheduledTask,
    batch: Batch | undefined,
    scheduledAt: number | undefined,
  ): Promise<void> | undefined {
    const run = this.launcher.launch(task, batch, scheduledAt);
    if (run.refused) return undefined;
    const late = batch?.late === true ? batch.scheduledAt : undefined;
    if (late !== undefined || this.states.has(task)) this.stateOf(task).late = late;
    // Check again after this run started: the end condition, a further batch, an overlapping run.
    this.host.lookAt(task);
    if (task.definition.execution !== 'main') return undefined;
    // The pass holds until the run ends: the timer must still fire for its timeout and for due
    // instants of this task (see Scheduler.onWake).
    const until = this.states.get(task)?.dueUntil ?? Infinity;
    if (task.definition.overlap !== 'allow' && until > this.ports.clock.now()) this.wakes.set(task, until);
    this.host.arm();
    return run.done;
  }

  /**
   * No run is live any more: a due instant that passed meanwhile is skipped, and a cron slot still
   * open is too (its run would start late), closing the slot to runs on the condition. An open
   * period or `every` instant keeps its Rocketry meaning: it runs now, once.
   */
  private settleMissed(task: ScheduledTask, state: PolicyState, now: number): void {
    const missed = state.missed;
    if (missed === undefined || (now < missed.until && !missed.slot)) return;
    if (missed.slot) state.closedUntil = Math.max(state.closedUntil, missed.until);
    this.skip(task, state, 'running');
  }

  private skip(task: ScheduledTask, state: PolicyState, reason: 'running'): void {
    const missed = state.missed;
    state.missed = undefined;
    if (missed !== undefined) this.emitSkip(task, missed.at, reason);
  }

  private emitSkip(task: ScheduledTask, at: number, reason: 'running' | 'merged'): void {
    task.countSkip();
    this.ports.events.notify({ type: 'taskSkipped', taskName: task.name, at: new Date(at), reason });
  }

  /** The instant a run starting now is due for (see {@link dueInstant}). */
  private dueInstant(task: ScheduledTask, now: number): number {
    return dueInstant(task.definition.start, now, this.checker, task.definition.calendar);
  }

  private stateOf(task: ScheduledTask): PolicyState {
    let state = this.states.get(task);
    if (state === undefined) {
      state = {
        dueUntil: -Infinity,
        missed: undefined,
        closedUntil: -Infinity,
        owed: undefined,
        lastStart: -Infinity,
        late: undefined,
      };
      this.states.set(task, state);
    }
    return state;
  }
}
