import { StatusCondition } from '../conditions/task/StatusCondition';
import type { Condition } from '../conditions/Condition';
import type { RunLog } from '../log/RunLog';
import type { TaskStateIndex } from '../log/TaskStateIndex';
import type { ScheduledTask } from '../scheduler/task/ScheduledTask';
import type { Calendar } from '../time/Calendar';

/** Records read per page, and pages at most per window and action: the look stays bounded. */
const PAGE = 200;
const MAX_PAGES = 10;

/**
 * After a persistent log restored the last record of each action, reads back the older records
 * that restricted status conditions need (`has succeeded today between 07:00 and 08:00` after a
 * success at 07:20 and another at 09:00): for each such window in a task's start or end
 * condition, the records since its latest occurrence began, newest first, at most
 * `PAGE * MAX_PAGES` of them per action. Only at start (and on gaining the leadership): checks
 * then read the index, which keeps each window's latest record as records are written.
 */
export async function primeStatusWindows(
  log: RunLog,
  tasks: readonly ScheduledTask[],
  index: TaskStateIndex,
  appCalendar: Calendar,
  now: number,
): Promise<void> {
  if (log.restore === undefined) return;
  // Most tasks have no such window: looking costs them one walk of their conditions, no allocation.
  const found: StatusCondition[] = [];
  for (const task of tasks) {
    periodStatus(task.start, found);
    if (task.end !== undefined) periodStatus(task.end, found);
    if (found.length === 0) continue;
    const calendar = task.definition.calendar ?? appCalendar;
    for (const c of found.splice(0)) {
      if (c.window.kind !== 'period') continue;
      const name = c.task ?? task.name;
      const window = { actions: c.actions, period: c.window.period, calendar };
      const occurrence = window.period.latestAt(now, calendar);
      if (occurrence === undefined) continue;
      // Creates the window's tracker, seeded with the restored last records.
      index.lastInside(name, window);
      for (const action of window.actions) await readBack(log, index, name, action, occurrence.start);
    }
  }
}

/** Adds to `into` the status conditions in `condition` restricted to a period (`... today between`). */
function periodStatus(condition: Condition, into: StatusCondition[]): void {
  if (condition instanceof StatusCondition && condition.window.kind === 'period') into.push(condition);
  for (const child of condition.children) periodStatus(child, into);
}

async function readBack(
  log: RunLog,
  index: TaskStateIndex,
  taskName: string,
  action: Parameters<TaskStateIndex['noteInside']>[1],
  since: number,
): Promise<void> {
  for (let page = 0; page < MAX_PAGES; page++) {
    const records = await log.records({ taskName, action, limit: PAGE, offset: page * PAGE });
    for (const r of records) index.noteInside(taskName, action, r.created.getTime());
    const oldest = records[0]?.created.getTime();
    if (records.length < PAGE || oldest === undefined || oldest < since) return;
  }
}
