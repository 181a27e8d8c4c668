import { toInjection } from '../../params/FuncArg';
import type { Injection, InjectionDecorator } from '../../params/Injection';
import type { RegistrationProblem } from './RegistrationProblem';

/**
 * What the parameters of a function given to `app.task`, `app.cond` or `app.param` receive:
 * `inject` in order, after `leading` parameters bound elsewhere (`cond(name, ...args)`).
 * A parameter left with nothing to receive, or a `fn` that is not a function, is a problem.
 */
export function functionInjections(
  owner: string,
  fn: unknown,
  inject: readonly (InjectionDecorator | Injection)[] | undefined,
  leading: number,
  problems: RegistrationProblem[],
): Injection[] {
  if (typeof fn !== 'function') {
    problems.push({
      kind: 'usage',
      message: `${owner}: expected a function as the second argument, got ${typeof fn}.`,
    });
    return [];
  }
  const injections = (inject ?? []).map(toInjection);
  for (let i = leading + injections.length; i < fn.length; i++) {
    problems.push({
      kind: 'usage',
      message: `${owner} parameter #${i} has nothing to receive: list what it takes in inject: [...] (Arg('key'), Return('task'), ...).`,
    });
  }
  return injections;
}
