import type { App } from '@apogee/core';
import { closeNames } from '@apogee/core/internal';
import { HttpProblem } from './HttpProblem';

/** Most tasks one request may name (`task=` repeated). */
const MAX_TASKS = 200;

/** The tasks a request names with `task=` (repeated), each known; every task when none is named. */
export function namedTasks(app: App, url: URL): readonly string[] {
  const all = [...app.session.taskNames()];
  const named = url.searchParams.getAll('task');
  const names = named.length === 0 ? all : named;
  if (names.length > MAX_TASKS)
    throw new HttpProblem(
      400,
      `At most ${String(MAX_TASKS)} tasks per request, got ${String(names.length)}; name the ones you need with task=<name> (repeated).`,
    );
  const known = new Set(all);
  for (const name of names) {
    if (!known.has(name))
      throw new HttpProblem(404, `Unknown task "${name}".`, { closeNames: closeNames(name, all) });
  }
  return names;
}
