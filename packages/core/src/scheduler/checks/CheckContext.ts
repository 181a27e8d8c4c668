import type { ConditionContext, CronSchedule, TaskStateView } from '../../conditions/ConditionContext';
import type { RunAction } from '../../conditions/runActions';
import type { TimePeriod } from '../../conditions/time/TimePeriod';
import type { StatusWindow } from '../../log/StatusWindows';
import type { Calendar } from '../../time/Calendar';
import type { ScheduledTask } from '../task/ScheduledTask';

/** What a condition check reads from the scheduler. */
export interface CheckHost {
  readonly calendar: Calendar;
  readonly startedAt: number | undefined;
  readonly cycles: number;
  state(taskName: string): TaskStateView;
  lastInside(taskName: string, window: StatusWindow): number | undefined;
  cron(expression: string, calendar: Calendar): CronSchedule;
  evaluateCustom(name: string, args: readonly unknown[], task: ScheduledTask | undefined): Promise<boolean>;
  customPoll(name: string): number;
  pendingEmissions(task: ScheduledTask | undefined, source: object): number;
  sessionParameter(key: string): { readonly exists: boolean; readonly value: unknown };
}

/**
 * The context of one condition check. An `overlay` replaces the checked task's own state, which
 * is how "what runs next" simulates future runs without touching the real index.
 */
export class CheckContext implements ConditionContext {
  constructor(
    private readonly host: CheckHost,
    readonly task: ScheduledTask | undefined,
    readonly now: number,
    private readonly overlay?: TaskStateView,
  ) {}

  /** The task's own zone (its `timezone` option) or else the app's. */
  get calendar(): Calendar {
    return this.task?.definition.calendar ?? this.host.calendar;
  }
  get taskName(): string | undefined {
    return this.task?.name;
  }
  get schedulerStartedAt(): number | undefined {
    return this.host.startedAt;
  }
  get cycles(): number {
    return this.host.cycles;
  }
  state(taskName: string): TaskStateView {
    if (this.overlay !== undefined && taskName === this.task?.name) return this.overlay;
    return this.host.state(taskName);
  }
  lastInside(taskName: string, actions: readonly RunAction[], period: TimePeriod): number | undefined {
    return this.host.lastInside(taskName, { actions, period, calendar: this.calendar });
  }
  cron(expression: string): CronSchedule {
    return this.host.cron(expression, this.calendar);
  }
  custom(name: string, args: readonly unknown[]): Promise<boolean> {
    return this.host.evaluateCustom(name, args, this.task);
  }
  customPoll(name: string): number {
    return this.host.customPoll(name);
  }
  sessionParameter(key: string): { readonly exists: boolean; readonly value: unknown } {
    return this.host.sessionParameter(key);
  }
  pendingEmissions(source: object): number {
    return this.host.pendingEmissions(this.task, source);
  }
}
