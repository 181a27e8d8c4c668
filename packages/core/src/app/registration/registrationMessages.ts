import type { MemberMisuse, MethodRole } from '../../metadata/ClassMetadata';

/** The parameter decorators, listed where a parameter has none. */
const DECORATORS =
  '@Arg, @Return, @Env, @Cli, @CurrentTask, @CurrentSession, @ScheduledAt, @Signal, @Progress, @RunLogger or @Inject';

/** How a class member is named in messages (`Symbol(key)` for a symbol). */
export const memberName = (key: string | symbol): string => (typeof key === 'symbol' ? key.toString() : key);

function roleName(role: MethodRole): string {
  return role.kind === 'task' ? '@Task' : role.kind === 'cond' ? '@Cond' : '@Param';
}

/**
 * What registration says about each misuse of decorators it finds, in one place so the
 * messages name the culprit and the fix the same way. `owner` is `Class.method`.
 */
export const registrationMessages = {
  notAClass: (value: unknown): string => `register() takes classes, but got ${String(value)}.`,

  noDecorators: (className: string): string =>
    `Class ${className} has no Apogee decorators: mark the class with @Task(...) (it then runs its run() method), or some of its methods with @Task, @Cond or @Param.`,

  /** A decorator on a member it cannot apply to (a property, an accessor, a static member). */
  misusedMember(className: string, misuse: MemberMisuse): string {
    const name = memberName(misuse.key);
    const owner = `${className}.${name}`;
    if (misuse.index !== undefined)
      return (
        `${misuse.decorator} on parameter #${misuse.index} of static method ${owner}: Apogee calls task, ` +
        `condition and provider methods on the instance it builds, so parameter decorators apply to ` +
        `instance methods only. Make ${name} an instance method.`
      );
    const fix = misuse.member.startsWith('static')
      ? `make ${name} an instance method (drop static)`
      : `make ${name} a method: ${name}(...) { ... }`;
    return (
      `${misuse.decorator} on ${misuse.member} ${owner}: ${misuse.decorator} marks an instance method, ` +
      `which Apogee calls on the instance it builds; ${fix}.`
    );
  },

  constructorParameter: (decorators: readonly string[], index: number, className: string): string =>
    `${decorators.join(', ')} on parameter #${index} of ${className}'s constructor: parameter decorators apply to task, condition and provider methods. Inject services into constructors with tsyringe's @inject(token), or move the parameter to the method.`,

  noRunMethod: (className: string): string =>
    `@Task on class ${className}: the class has no run() method to call. Add run(), or put @Task on the method to run instead.`,

  runHasRoles: (className: string, roles: readonly MethodRole[]): string =>
    `${className}.run has ${roles.map(roleName).join(', ')} while class ${className} has @Task: the class decorator already makes run() the task; remove one.`,

  /** `site` is `class X` for a class task, `X.method` for a method task. */
  startGivenTwice: (site: string): string =>
    `@Task on ${site} got a start condition both as its first argument and as options.start; give it once.`,

  parameterDecoratorsWithoutRole: (decorators: readonly string[], owner: string): string =>
    `${decorators.join(', ')} on ${owner}, but ${owner} has no @Task, @Cond or @Param: parameter decorators only work on methods those mark. Add one, or remove the parameter decorators.`,

  manyRoles: (owner: string, roles: readonly MethodRole[]): string =>
    `${owner} has ${roles.map(roleName).join(' and ')}: a method plays one role; split it into separate methods.`,

  /** `role` is the method's role decorator (`@Task`, `@Cond`, `@Param`). */
  undecoratedParameter: (owner: string, index: number, role: string, className: string): string =>
    `${owner} parameter #${index} has no parameter decorator (in ${role} on class ${className}). ` +
    `Every parameter of a task, condition or provider method needs exactly one: ${DECORATORS}.` +
    (role === '@Cond'
      ? ' Only the parameters before the first decorated one take cond(name, ...args) values.'
      : ''),

  manyParameterDecorators: (owner: string, index: number, decorators: readonly string[]): string =>
    `${owner} parameter #${index} has ${decorators.length} parameter decorators (${decorators.join(', ')}); keep exactly one.`,

  /** `site` is `@Cond('name') on Class.method` or `app.cond 'name'`. */
  duplicateCondition: (site: string): string =>
    `${site}: a custom condition with that name is already registered; names must be unique.`,
} as const;
