import { RemoteExecutor } from '../../execution/remote/RemoteExecutor';
import type { TaskTarget } from '../../execution/remote/protocol';
import { readClassMetadata } from '../../metadata/ClassMetadata';
import type { TaskOptions } from '../../metadata/TaskOptions';
import type { Constructor } from './Constructor';
import type { TaskFunction } from './FunctionOptions';
import type { RegistrationProblem } from './RegistrationProblem';
import { resolveModule } from './resolveModule';

/** Where a task's code comes from, for a worker to find it again. */
export type TaskOrigin =
  | { readonly kind: 'method'; readonly ctor: Constructor; readonly key: string | symbol }
  | { readonly kind: 'function'; readonly fn: TaskFunction };

/**
 * Where a worker finds a thread or process task: the declaring module (recorded by `@Task`,
 * or `options.module`), then the class member or the function. `where` names the task in
 * messages. Problems are collected, not thrown. (Whether its parameters can cross is `checkCrossing`'s.)
 */
export function taskTarget(
  where: string,
  name: string,
  options: TaskOptions,
  origin: TaskOrigin,
  problems: RegistrationProblem[],
): TaskTarget | undefined {
  const usage = (message: string): void => {
    problems.push({ kind: 'usage', message });
  };
  const declared = origin.kind === 'method' ? readClassMetadata(origin.ctor)?.declaredIn : undefined;
  const given = options.module ?? declared;
  if (given === undefined) {
    usage(
      origin.kind === 'function'
        ? `${where} needs module: the file a worker loads to find it. Pass module: __filename (CommonJS) or import.meta.url (ES modules) in the options of app.task(...).`
        : `${where}: the file declaring class ${origin.ctor.name} could not be found. Pass it with @Task({ module: __filename }).`,
    );
    return undefined;
  }
  const module = resolveModule(given);
  if (typeof module !== 'string') {
    usage(`${where}: ${module.problem}`);
    return undefined;
  }
  const loadProblem = RemoteExecutor.loadProblem(module);
  if (loadProblem !== undefined) usage(`${where}: ${loadProblem}`);
  if (origin.kind === 'function') {
    return { module, taskName: name, ...(origin.fn.name === '' ? {} : { exportName: origin.fn.name }) };
  }
  if (typeof origin.key === 'symbol') {
    usage(`${where}: a method named by a symbol cannot be found by a worker; give it a string name.`);
    return undefined;
  }
  return { module, taskName: name, className: origin.ctor.name, member: origin.key };
}
