import type { Condition, Evaluation } from '../../conditions/Condition';
import type { CronSchedule, TaskStateView } from '../../conditions/ConditionContext';
import { CustomCondition } from '../../conditions/custom/CustomCondition';
import { walkCondition } from '../../conditions/walkCondition';
import { ConditionTimeoutError } from '../../errors/ConditionTimeoutError';
import { UnknownConditionError } from '../../errors/UnknownConditionError';
import type { ResolutionHost } from '../../params/ResolutionHost';
import { ResolutionScope } from '../../params/ResolutionScope';
import type { Calendar } from '../../time/Calendar';
import type { Clock } from '../../time/Clock';
import { AsyncChecks, PENDING, type CheckWaker } from './AsyncChecks';
import { CheckContext, type CheckHost } from './CheckContext';
import { CronerSchedule } from '../prediction/CronerSchedule';
import { CustomMemory, type CustomAnswer } from './CustomMemory';
import type { CustomConditionDefinition } from './CustomConditionDefinition';
import type { EmissionQueues } from './EmissionQueues';
import type { EventSink } from '../events/EventSink';
import { isThenable } from '../../util/isThenable';
import type { ScheduledTask } from '../task/ScheduledTask';
import type { SchedulerProgress } from '../SchedulerProgress';
import type { TaskStates } from '../task/TaskStates';
import type { StatusWindow } from '../../log/StatusWindows';

/** How soon a condition that threw is checked again. */
export const RETRY_FAILED_CONDITION = 1000;
const NEVER_ABORTED = { signal: new AbortController().signal };
/** Default time limit of one condition check (`config.conditionTimeout`). */
export const DEFAULT_CONDITION_TIMEOUT = 10_000;
/** What a check under way counts as: false, and looked at again when it settles. */
const UNDER_WAY: Evaluation = { value: false, next: Infinity };

/** What {@link ConditionChecker} reads. */
export interface ConditionCheckerPorts {
  readonly state: TaskStates;
  readonly customs: ReadonlyMap<string, CustomConditionDefinition>;
  /** Where custom conditions resolve their injected parameters. */
  readonly host: ResolutionHost;
  readonly clock: Clock;
  readonly calendar: Calendar;
  readonly events: EventSink;
  /** Time limit of one check, ms. Default {@link DEFAULT_CONDITION_TIMEOUT}. */
  readonly conditionTimeout?: number;
}

/**
 * Checks conditions: builds the context each check reads (task states, the shared cron
 * patterns, custom conditions in their own resolution scope, pending emissions) and turns a
 * condition that throws into a reported `false` that is tried again soon.
 */
export class ConditionChecker implements CheckHost {
  /** One parsed pattern per distinct expression, for the app's lifetime. */
  private readonly cronCache = new Map<string, CronSchedule>();
  /** Each condition's time limit: the app's, or longer where a custom condition in it asks for more. */
  private readonly limits = new WeakMap<Condition, number>();
  private readonly asyncChecks: AsyncChecks;
  private readonly answers = new CustomMemory();

  constructor(
    private readonly ports: ConditionCheckerPorts,
    private readonly progress: Readonly<SchedulerProgress>,
    private readonly emissions: Pick<EmissionQueues, 'pending'>,
    waker: CheckWaker = { checkSettled: () => undefined },
  ) {
    this.asyncChecks = new AsyncChecks(waker);
  }

  /**
   * Checks `condition` for `task` without waiting. An asynchronous check goes on off the pass
   * and counts as false meanwhile; when it settles (or passes its time limit, which counts as
   * false and emits `conditionFailed` with a `ConditionTimeoutError`) the waker looks at the
   * task again, and this returns the result to that look.
   */
  checkNow(condition: Condition, task: ScheduledTask | undefined): Evaluation {
    const waiting = this.asyncChecks.take(task, condition);
    if (waiting === PENDING) return UNDER_WAY;
    if (waiting !== undefined) return waiting;
    const result = this.check(condition, task);
    if (!isThenable(result)) return result;
    const limit = this.limitOf(condition);
    this.asyncChecks.watch(task, condition, result, limit, () =>
      this.conditionFailed(
        new ConditionTimeoutError(condition.toString(), task?.name, limit),
        task,
        this.ports.clock.now(),
      ),
    );
    return UNDER_WAY;
  }

  /** Drops check results the last look at `task` did not need. */
  lookedAt(task: ScheduledTask | undefined): void {
    this.asyncChecks.dropSettled(task);
  }

  /** Stops watching every check under way (at shutdown). */
  forgetChecks(): void {
    this.asyncChecks.clear();
  }

  private limitOf(condition: Condition): number {
    let limit = this.limits.get(condition);
    if (limit === undefined) {
      let found = this.ports.conditionTimeout ?? DEFAULT_CONDITION_TIMEOUT;
      walkCondition(condition, (c) => {
        if (c instanceof CustomCondition)
          found = Math.max(found, this.ports.customs.get(c.name)?.timeout ?? 0);
      });
      limit = found;
      this.limits.set(condition, limit);
    }
    return limit;
  }

  /** Checks `condition` for `task` (or for `shutdownWhen`) now; one that throws counts as false. */
  check(condition: Condition, task: ScheduledTask | undefined): Evaluation | Promise<Evaluation> {
    const now = this.ports.clock.now();
    try {
      const result = condition.evaluate(new CheckContext(this, task, now));
      return isThenable(result)
        ? result.catch((error: unknown) => this.conditionFailed(error, task, this.ports.clock.now()))
        : result;
    } catch (error) {
      return this.conditionFailed(error, task, now);
    }
  }

  /** Reports a condition that threw; it counts as false and is checked again soon. */
  private conditionFailed(error: unknown, task: ScheduledTask | undefined, now: number): Evaluation {
    this.ports.events.notify({
      type: 'conditionFailed',
      ...(task === undefined ? {} : { taskName: task.name }),
      at: new Date(now),
      error,
    });
    return { value: false, next: now + RETRY_FAILED_CONDITION };
  }

  // ---- CheckHost ----

  get calendar(): Calendar {
    return this.ports.calendar;
  }
  get startedAt(): number | undefined {
    return this.progress.startedAt;
  }
  get cycles(): number {
    return this.progress.cycles;
  }

  state(taskName: string): TaskStateView {
    return this.ports.state.get(taskName);
  }

  lastInside(taskName: string, window: StatusWindow): number | undefined {
    return this.ports.state.lastInside(taskName, window);
  }

  cron(expression: string, calendar: Calendar): CronSchedule {
    // One parsed pattern per expression and zone (tasks may have their own zone).
    const key = `${calendar.timezone ?? ''}\u0000${expression}`;
    let schedule = this.cronCache.get(key);
    if (schedule === undefined) {
      schedule = new CronerSchedule(expression, calendar);
      this.cronCache.set(key, schedule);
    }
    return schedule;
  }

  async evaluateCustom(
    name: string,
    args: readonly unknown[],
    task: ScheduledTask | undefined,
  ): Promise<boolean> {
    const { customs, host } = this.ports;
    const def = customs.get(name);
    if (def === undefined)
      throw new UnknownConditionError(
        name,
        customs.keys(),
        task === undefined ? 'config.shutdownWhen' : `task "${task.name}"`,
      );
    const scope = new ResolutionScope(host, task, task?.name, undefined, task?.parameters, NEVER_ABORTED);
    const leading = Array.from({ length: def.leading }, (_, i) => args[i]);
    const values = await scope.resolveInjections(def.signature.injections, def.owner, leading);
    const answer = def.call(values);
    const value = Boolean(
      def.timeout === undefined || !isThenable(answer)
        ? await answer
        : await withinLimit(
            answer,
            def.timeout,
            () => new ConditionTimeoutError(name, task?.name, def.timeout ?? 0),
          ),
    );
    this.answers.remember(task, name, args, { value, at: this.ports.clock.now() });
    return value;
  }

  /** What a custom condition answered the last time it was checked for `task`. */
  lastAnswer(
    task: ScheduledTask | undefined,
    name: string,
    args: readonly unknown[],
  ): CustomAnswer | undefined {
    return this.answers.recall(task, name, args);
  }

  customPoll(name: string): number {
    return this.ports.customs.get(name)?.poll ?? RETRY_FAILED_CONDITION;
  }

  sessionParameter(key: string): { readonly exists: boolean; readonly value: unknown } {
    const params = this.ports.host.sessionParams;
    return { exists: params.has(key), value: params.get(key) };
  }

  pendingEmissions(task: ScheduledTask | undefined, source: object): number {
    return task === undefined ? 0 : this.emissions.pending(task, source);
  }
}

/** `promise`, or a rejection with `error()` once `limit` ms have passed. */
function withinLimit<T>(promise: PromiseLike<T>, limit: number, error: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(error());
    }, limit);
  });
  return Promise.race([promise, expired]).finally(() => {
    clearTimeout(timer);
  });
}
