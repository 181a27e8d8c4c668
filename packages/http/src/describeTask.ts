import type { ScheduledTask } from '@apogee/core';

const iso = (d: Date | undefined): string | null => d?.toISOString() ?? null;

/** What the control API says about a task. */
export function describeTask(task: ScheduledTask): Record<string, unknown> {
  return {
    name: task.name,
    status: task.status ?? null,
    isRunning: task.isRunning,
    disabled: task.disabled,
    lastRun: iso(task.lastRun),
    lastSuccess: iso(task.lastSuccess),
    lastFail: iso(task.lastFail),
    nextRun: iso(task.nextRun()),
    start: task.start.toString(),
    end: task.end?.toString() ?? null,
    priority: task.priority,
    batches: task.batches.length,
    parameters: task.parameters,
  };
}
