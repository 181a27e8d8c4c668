import type { ScheduledTask, Session } from '@apogee/core';

const iso = (d: Date | undefined): string | null => d?.toISOString() ?? null;

/**
 * A task's start condition as people read it: a task with none (`@Task()`, whose start is
 * `never`) runs only when asked to, which `false` would not say.
 */
export function startText(task: Pick<ScheduledTask, 'start'>): string {
  const text = task.start.toString();
  return text === 'false' ? 'on request' : text;
}

/**
 * What the control API says about a task: its state, schedule and the runs under way, each with
 * its id, start and last reported progress.
 */
export function describeTask(
  task: ScheduledTask,
  session: Pick<Session, 'liveRuns'>,
): Record<string, unknown> {
  return {
    name: task.name,
    status: task.status ?? null,
    isRunning: task.isRunning,
    disabled: task.disabled,
    lastRun: iso(task.lastRun),
    lastSuccess: iso(task.lastSuccess),
    lastFail: iso(task.lastFail),
    nextRun: iso(task.nextRun()),
    start: startText(task),
    end: task.end?.toString() ?? null,
    priority: task.priority,
    batches: task.batches.length,
    parameters: task.parameters,
    runs: session.liveRuns(task.name).map((run) => ({
      runId: run.runId,
      started: run.started.toISOString(),
      ...(run.progress === undefined ? {} : { progress: run.progress }),
    })),
  };
}
