import type { Condition, Evaluation } from '../conditions/Condition';
import type { CronSchedule, TaskStateView } from '../conditions/ConditionContext';
import { UnknownConditionError } from '../errors/UnknownConditionError';
import type { ResolutionHost } from '../params/ResolutionHost';
import { ResolutionScope } from '../params/ResolutionScope';
import type { Calendar } from '../time/Calendar';
import type { Clock } from '../time/Clock';
import { CheckContext, type CheckHost } from './CheckContext';
import { CronerSchedule } from './CronSchedule';
import type { CustomConditionDefinition } from './CustomConditionDefinition';
import type { EmissionQueues } from './EmissionQueues';
import type { EventSink } from './EventSink';
import { isPromise } from './isPromise';
import type { ScheduledTask } from './ScheduledTask';
import type { SchedulerProgress } from './SchedulerProgress';
import type { TaskStates } from './TaskStates';

/** How soon a condition that threw is checked again. */
export const RETRY_FAILED_CONDITION = 1000;
const NEVER_ABORTED = { signal: new AbortController().signal };

/** What {@link ConditionChecker} reads. */
export interface ConditionCheckerPorts {
  readonly state: TaskStates;
  readonly customs: ReadonlyMap<string, CustomConditionDefinition>;
  /** Where custom conditions resolve their injected parameters. */
  readonly host: ResolutionHost;
  readonly clock: Clock;
  readonly calendar: Calendar;
  readonly events: EventSink;
}

/**
 * Checks conditions: builds the context each check reads (task states, the shared cron
 * patterns, custom conditions in their own resolution scope, pending emissions) and turns a
 * condition that throws into a reported `false` that is tried again soon.
 */
export class ConditionChecker implements CheckHost {
  /** One parsed pattern per distinct expression, for the app's lifetime. */
  private readonly cronCache = new Map<string, CronSchedule>();

  constructor(
    private readonly ports: ConditionCheckerPorts,
    private readonly progress: Readonly<SchedulerProgress>,
    private readonly emissions: Pick<EmissionQueues, 'pending'>,
  ) {}

  /** Checks `condition` for `task` (or for `shutdownWhen`) now; one that throws counts as false. */
  check(condition: Condition, task: ScheduledTask | undefined): Evaluation | Promise<Evaluation> {
    const now = this.ports.clock.now();
    try {
      const result = condition.evaluate(new CheckContext(this, task, now));
      return isPromise(result)
        ? result.catch((error: unknown) => this.conditionFailed(error, task, now))
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

  cron(expression: string): CronSchedule {
    let schedule = this.cronCache.get(expression);
    if (schedule === undefined) {
      schedule = new CronerSchedule(expression, this.ports.calendar.timezone);
      this.cronCache.set(expression, schedule);
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
    const values = await scope.resolveInjections(def.injections, def.owner, leading);
    return Boolean(await def.call(values));
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
