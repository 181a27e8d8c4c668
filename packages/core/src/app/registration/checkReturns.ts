import { UnknownTaskError } from '../../errors/UnknownTaskError';
import type { Injection } from '../../params/Injection';
import { ReturnArg } from '../../params/ReturnArg';
import type { NameLookup } from './checkReferences';
import type { RegistrationProblem } from './RegistrationProblem';

/** Something whose parameters are injected, named for messages (`task "report"`). */
export interface InjectionUse {
  readonly injections: readonly Injection[];
  readonly usedBy: string;
}

/**
 * Every `@Return(task)` in `uses` whose task is not in `tasks`. Checked when the app starts, like
 * `afterSuccess(task)`: the task may be registered after the one that reads its return value,
 * but a name that is still unknown then would fail every run.
 */
export function checkReturns(uses: readonly InjectionUse[], tasks: NameLookup): RegistrationProblem[] {
  const problems: RegistrationProblem[] = [];
  for (const { injections, usedBy } of uses) {
    for (const injection of injections) {
      if (injection.kind !== 'argument' || !(injection.argument instanceof ReturnArg)) continue;
      const name = injection.argument.task;
      if (!tasks.has(name))
        problems.push({
          kind: 'error',
          error: new UnknownTaskError(name, tasks, `@Return('${name}') of ${usedBy}`),
        });
    }
  }
  return problems;
}
