import type { TaskOptions } from '../../metadata/TaskOptions';
import type { Injection, InjectionDecorator } from '../../params/Injection';
import type { ProviderCache } from '../../params/ProviderArg';
import type { Duration } from '../../time/Duration';

/** A function given to `app.task`, `app.cond` or `app.param`. */
export type TaskFunction = (...args: never[]) => unknown;

/** Options of the no-decorator `app.task(...)`. */
export type FunctionTaskOptions = TaskOptions & {
  readonly name: string;
  /** What the function's parameters receive, in order. */
  readonly inject?: readonly (InjectionDecorator | Injection)[];
};

/** Options of the no-decorator `app.cond(...)`. */
export interface FunctionCondOptions {
  readonly name: string;
  /** What the function's last parameters receive; the ones before take `cond(name, ...args)`. */
  readonly inject?: readonly (InjectionDecorator | Injection)[];
  readonly poll?: Duration;
  /** A check that takes longer counts as false (`ConditionTimeoutError`). Default: `config.conditionTimeout`. */
  readonly timeout?: Duration;
}

/** Options of the no-decorator `app.param(...)`. */
export interface FunctionParamOptions {
  readonly name: string;
  readonly inject?: readonly (InjectionDecorator | Injection)[];
  readonly cache?: ProviderCache;
}
