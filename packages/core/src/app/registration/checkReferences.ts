import type { Condition } from '../../conditions/Condition';
import { CustomCondition } from '../../conditions/custom/CustomCondition';
import { walkCondition } from '../../conditions/walkCondition';
import type { ApogeeError } from '../../errors/ApogeeError';
import { ConfigurationError } from '../../errors/ConfigurationError';
import { UnknownConditionError } from '../../errors/UnknownConditionError';
import { UnknownTaskError } from '../../errors/UnknownTaskError';
import type { RegistrationProblem } from './RegistrationProblem';

/** A condition and what uses it, for messages (`the start condition of task "x"`). */
export interface ConditionUse {
  readonly condition: Condition | undefined;
  readonly usedBy: string;
}

/** A registered custom condition, as far as references to it are checked. */
export interface KnownCustom {
  readonly owner: string;
  /** How many `cond(name, ...args)` arguments it takes. */
  readonly leading: number;
  /** How many of them have no default value: a use with fewer is refused. */
  readonly required?: number;
}

/** Names that can be looked up and, for a message's suggestions, listed (a `Set` is one). */
export interface NameLookup extends Iterable<string> {
  has(name: string): boolean;
}

/** What conditions may refer to. */
export interface KnownNames {
  readonly tasks: NameLookup;
  readonly customs: ReadonlyMap<string, KnownCustom>;
}

/** A task's start or end condition; its name for messages is only built for a message. */
class TaskConditionUse implements ConditionUse {
  constructor(
    readonly condition: Condition | undefined,
    private readonly role: 'start' | 'end',
    private readonly taskName: string,
  ) {}

  get usedBy(): string {
    return `the ${this.role} condition of task "${this.taskName}"`;
  }
}

/** The start and end conditions of `tasks`, named for messages. */
export function taskConditionUses(
  tasks: Iterable<{ readonly name: string; readonly start: Condition; readonly end: Condition | undefined }>,
): ConditionUse[] {
  const uses: ConditionUse[] = [];
  for (const task of tasks) {
    uses.push(new TaskConditionUse(task.start, 'start', task.name));
    if (task.end !== undefined) uses.push(new TaskConditionUse(task.end, 'end', task.name));
  }
  return uses;
}

/**
 * Every reference in `uses` that points nowhere: a task a condition depends on
 * (`condition.dependsOn`, whatever the condition's class) that is not in `known.tasks`, a
 * `cond(name)` nobody registered, or one given more arguments than it takes or fewer than it
 * needs (`"file exists"` in a string, for a condition whose first parameter is the path, would
 * otherwise run with `undefined`). Each is reported once per use.
 */
export function checkReferences(uses: readonly ConditionUse[], known: KnownNames): RegistrationProblem[] {
  const problems: RegistrationProblem[] = [];
  // Conditions found to refer to nothing missing: another use of the same object (one start
  // condition given to many tasks) would find nothing either.
  const clean = new Set<Condition>();
  for (const use of uses) {
    const { condition } = use;
    if (condition === undefined || clean.has(condition)) continue;
    const found = problems.length;
    checkOne(condition, use, known, problems);
    if (problems.length === found) clean.add(condition);
  }
  return problems;
}

/** The references of one use's condition that point nowhere, added to `problems`. */
function checkOne(
  condition: Condition,
  use: ConditionUse,
  known: KnownNames,
  problems: RegistrationProblem[],
): void {
  const reported = new Set<string>();
  const report = (what: string, error: () => ApogeeError): void => {
    if (reported.has(what)) return;
    reported.add(what);
    problems.push({ kind: 'error', error: error() });
  };
  walkCondition(condition, (c) => {
    for (const name of c.dependsOn) {
      if (name !== undefined && !known.tasks.has(name))
        report(`task ${name}`, () => new UnknownTaskError(name, known.tasks, use.usedBy));
    }
    if (!(c instanceof CustomCondition)) return;
    const custom = known.customs.get(c.name);
    if (custom === undefined)
      report(`cond ${c.name}`, () => new UnknownConditionError(c.name, known.customs.keys(), use.usedBy));
    else if (c.args.length > custom.leading || c.args.length < (custom.required ?? 0)) {
      const required = custom.required ?? 0;
      const expected =
        c.args.length > custom.leading
          ? `at most ${custom.leading} bound argument(s): ${custom.owner} takes ${custom.leading} parameter(s) before its decorated ones`
          : `${required} bound argument(s): ${custom.owner} takes ${custom.leading} parameter(s) before its decorated ones, ` +
            `${required} of them without a default. In a string, a custom condition takes no arguments: ` +
            `give the parameters defaults, or use cond('${c.name}', ...args) in code`;
      report(
        `args ${c.name}`,
        () => new ConfigurationError(`cond('${c.name}', ...) in ${use.usedBy}`, c.args, expected),
      );
    }
  });
}
