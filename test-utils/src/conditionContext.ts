import {
  calendarFor,
  TaskStateIndex,
  type ConditionContext,
  type CronSchedule,
  type TaskStateView,
} from '@apogee/core/internal';
import type { RunAction } from '@apogee/core';
import { Cron } from 'croner';

/** Per-task state for {@link conditionContext}; anything left out is empty. */
export type StateInput = Partial<Omit<TaskStateView, 'sequence'>> & { sequence?: TaskStateView['sequence'] };

/** Options of {@link conditionContext}. */
export interface ContextInput {
  readonly now: Date | string;
  readonly taskName?: string;
  readonly timezone?: string;
  readonly states?: Readonly<Record<string, StateInput>>;
  readonly startedAt?: number;
  readonly cycles?: number;
  readonly custom?: (name: string, args: readonly unknown[]) => boolean;
  readonly pending?: number;
  readonly params?: Readonly<Record<string, unknown>>;
  /** Older records per task (ISO instants), for restricted status windows; the states hold the last ones. */
  readonly history?: Readonly<Record<string, readonly { readonly action: RunAction; readonly at: string }[]>>;
}

/**
 * A condition context for unit tests: a fixed instant, a zone, and hand-written task states.
 */
export function conditionContext(input: ContextInput): ConditionContext {
  const now = typeof input.now === 'string' ? new Date(input.now).getTime() : input.now.getTime();
  // The state of a task that never ran, as the scheduler's own index reports it.
  const empty: TaskStateView = new TaskStateIndex().get('never ran');
  return {
    now,
    calendar: calendarFor(input.timezone),
    taskName: input.taskName ?? 'self',
    state: (name) => ({ ...empty, ...input.states?.[name] }),
    lastInside: (name, actions, period) => {
      const calendar = calendarFor(input.timezone);
      const inside = (input.history?.[name] ?? [])
        .filter((r) => actions.includes(r.action))
        .map((r) => new Date(r.at).getTime())
        .filter((at) => period.occurrenceAt(at, calendar) !== undefined);
      return inside.length === 0 ? undefined : Math.max(...inside);
    },
    schedulerStartedAt: input.startedAt,
    cycles: input.cycles ?? 0,
    cron: (expression): CronSchedule => {
      const c = new Cron(expression, {
        paused: true,
        ...(input.timezone === undefined ? {} : { timezone: input.timezone }),
      });
      return {
        matches: (t) => c.match(new Date(t)),
        nextAfter: (t) => c.nextRun(new Date(t))?.getTime() ?? Infinity,
        resolution: expression.trim().split(/\s+/).length >= 6 ? 1000 : 60_000,
      };
    },
    custom: (name, args) => Promise.resolve(input.custom?.(name, args) ?? false),
    customPoll: () => 1000,
    pendingEmissions: () => input.pending ?? 0,
    sessionParameter: (key) => ({
      exists: input.params !== undefined && key in input.params,
      value: input.params?.[key],
    }),
  };
}
