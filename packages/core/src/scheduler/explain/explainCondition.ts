import { All, Any, Condition, Not, type Evaluation } from '../../conditions/Condition';
import { FromParamCondition } from '../../conditions/session/fromParam';
import { CustomCondition } from '../../conditions/custom/CustomCondition';
import type { Explanation } from '../../conditions/Explanation';
import { errorMessage } from '../../errors/errorMessage';
import { wallClockText } from '../../time/wallText';
import { CheckContext, type CheckHost } from '../checks/CheckContext';
import { heldCondition } from '../checks/heldCondition';
import type { CustomAnswer } from '../checks/CustomMemory';
import { explainReason } from './explainReason';
import { isThenable } from '../../util/isThenable';
import { NEXT_RUN_STEPS } from '../prediction/predict';
import type { ScheduledTask } from '../task/ScheduledTask';
import { ON_REQUEST, startText } from '../prediction/startText';

/** What an explanation reads: what a check reads, and the custom conditions' last answers. */
export interface ExplainHost extends CheckHost {
  lastAnswer(
    task: ScheduledTask | undefined,
    name: string,
    args: readonly unknown[],
  ): CustomAnswer | undefined;
}

/**
 * `task`'s start condition as a tree at `now`: every node checked the way the scheduler checks it
 * (the same `evaluate`, the same context), and for a node that is false, the instant it next
 * becomes true, found as `nextRun()` finds it: jumping from each check to the instant its value
 * can next change, within {@link NEXT_RUN_STEPS} checks. Custom conditions are not called: their
 * node shows the answer the scheduler last got. Reads `host`, changes nothing.
 */
export function explainCondition(task: ScheduledTask, now: number, host: ExplainHost): Explanation {
  const start = task.definition.start;
  if (startText(start) === ON_REQUEST)
    return {
      condition: ON_REQUEST,
      value: false,
      reason: 'no start condition: it runs when asked to (task.run(), POST /tasks/:name/run, apogee run)',
      children: [],
    };
  return explainNode(start, task, now, host);
}

/**
 * The parts shown under a node: its children, and for `fromParam('key')` the condition the
 * parameter holds now (what is really being checked).
 */
function partsOf(condition: Condition, host: ExplainHost): readonly Condition[] {
  if (!(condition instanceof FromParamCondition)) return condition.children;
  // Absent or not parsing: the node itself reports the problem when it is checked.
  const held = heldCondition(condition, host);
  return held === undefined ? [] : [held];
}

/** Whether checking `condition` would call a custom condition (the user's code). */
function hasCustom(condition: Condition, host: ExplainHost): boolean {
  return condition instanceof CustomCondition || partsOf(condition, host).some((c) => hasCustom(c, host));
}

function explainNode(condition: Condition, task: ScheduledTask, now: number, host: ExplainHost): Explanation {
  const children = partsOf(condition, host).map((c) => explainNode(c, task, now, host));
  const text = condition.toString();
  if (condition instanceof CustomCondition) return explainCustom(condition, task, host);
  if (hasCustom(condition, host)) {
    // Checking it would call the custom condition: its value follows from its parts instead.
    const value =
      condition instanceof All
        ? children.every((c) => c.value)
        : condition instanceof Any
          ? children.some((c) => c.value)
          : condition instanceof Not
            ? children[0]?.value !== true
            : // fromParam('key') is what it holds.
              children[0]?.value === true;
    return { condition: text, value, children };
  }
  const ctx = new CheckContext(host, task, now);
  let result: Evaluation;
  try {
    const checked = condition.evaluate(ctx);
    if (isThenable(checked)) {
      // A condition of the user's own making that only answers asynchronously.
      void checked.catch(() => undefined);
      return { condition: text, value: false, reason: 'checked asynchronously; not shown here', children };
    }
    result = checked;
  } catch (error) {
    return { condition: text, value: false, reason: `threw: ${errorMessage(error)}`, children };
  }
  const reason = explainReason(condition, ctx, result.value);
  const next = result.value ? undefined : nextTrue(condition, task, result.next, host);
  return {
    condition: text,
    value: result.value,
    ...(next === undefined ? {} : { next: new Date(next) }),
    ...(reason === undefined ? {} : { reason }),
    children,
  };
}

/** The first instant from `from` on at which `condition` holds, if time alone brings one. */
function nextTrue(
  condition: Condition,
  task: ScheduledTask,
  from: number,
  host: ExplainHost,
): number | undefined {
  let t = from;
  for (let steps = 0; steps < NEXT_RUN_STEPS && Number.isFinite(t); steps++) {
    let result: Evaluation;
    try {
      const checked = condition.evaluate(new CheckContext(host, task, t));
      if (isThenable(checked)) return undefined;
      result = checked;
    } catch {
      return undefined;
    }
    if (result.value) return t;
    if (!(result.next > t)) return undefined;
    t = result.next;
  }
  return undefined;
}

function explainCustom(condition: CustomCondition, task: ScheduledTask, host: ExplainHost): Explanation {
  const answer = host.lastAnswer(task, condition.name, condition.args);
  const text = condition.toString();
  if (answer === undefined)
    return {
      condition: text,
      value: false,
      reason: 'not checked yet (custom conditions are checked while the app runs)',
      children: [],
    };
  return {
    condition: text,
    value: answer.value,
    reason: `${String(answer.value)} when last checked, at ${wallClockText(answer.at, host.calendar)}`,
    children: [],
  };
}
