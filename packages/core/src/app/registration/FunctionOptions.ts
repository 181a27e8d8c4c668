import type { TaskOptions } from '../../metadata/TaskOptions';
import type { Injection, InjectionDecorator } from '../../params/Injection';
import type { ProviderCache } from '../../params/ProviderArg';
import type { Duration } from '../../time/Duration';

/** A function given to `app.task`, `app.cond` or `app.param`. */
export type TaskFunction = (...args: never[]) => unknown;

/** Options of the no-decorator `app.task(...)`. */
export type FunctionTaskOptions = TaskOptions & {
  /** The task's unique name. */
  readonly name: string;
  /** What the function's parameters receive, in order. */
  readonly inject?: readonly (InjectionDecorator | Injection)[];
};

/** Options of the no-decorator `app.cond(...)`. */
export interface FunctionCondOptions {
  /** The condition's name, as used in condition strings and `cond(name, ...args)`. */
  readonly name: string;
  /** What the function's last parameters receive; the ones before take `cond(name, ...args)`. */
  readonly inject?: readonly (InjectionDecorator | Injection)[];
  /** How often the check runs while it matters. Default: 1 second. */
  readonly poll?: Duration;
  /** A check that takes longer counts as false (`ConditionTimeoutError`). Default: `config.conditionTimeout`. */
  readonly timeout?: Duration;
}

/** Options of the no-decorator `app.param(...)`. */
export interface FunctionParamOptions {
  /** The session parameter's name, as injected with `Arg(name)`. */
  readonly name: string;
  /** What the function's parameters receive, in order. */
  readonly inject?: readonly (InjectionDecorator | Injection)[];
  /** How long the value is kept: one run (`'run'`, the default) or the whole session. */
  readonly cache?: ProviderCache;
}
