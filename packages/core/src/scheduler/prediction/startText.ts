import type { Condition } from '../../conditions/Condition';

/** What a task's start reads as when it never holds by itself: the task runs only when asked to. */
export const ON_REQUEST = 'on request';

/**
 * A task's start condition as people read it: a task with none (`@Task()`, whose start is
 * `never`) runs only when asked to, which `false` would not say. The same words as `GET /tasks`.
 */
export function startText(start: Condition): string {
  const text = start.toString();
  return text === 'false' ? ON_REQUEST : text;
}
