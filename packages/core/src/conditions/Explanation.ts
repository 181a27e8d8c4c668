/**
 * One node of a task's start condition as `task.explain()` shows it: the condition in the string
 * language, whether it holds now, when it can next become true, and the nodes it is made of
 * (`all`, `any` and `not` have children; a period such as `daily.between(...)` is one node).
 *
 * @example
 * ```ts
 * const why = app.session.get('report').explain();
 * // { condition: "daily between 08:00 and 10:00 & after task 'fetch' succeeded", value: false, children: [...] }
 * ```
 */
export interface Explanation {
  /** The condition in the string language, e.g. `"daily between 08:00 and 10:00"`. */
  readonly condition: string;
  /** Whether it holds now. */
  readonly value: boolean;
  /**
   * The next instant it can become true. Absent where it holds now, or where that instant cannot be
   * known (it waits for another task, a custom condition or an observable).
   */
  readonly next?: Date;
  /**
   * Why it holds or not, in words, where the node can say more than its value: `"already ran
   * today at 08:00:02"`, `"fetch last succeeded before this task's last run"`.
   */
  readonly reason?: string;
  /** Its parts, in order: the conditions of an `all` or `any`, the one of a `not`. */
  readonly children: Explanation[];
}
