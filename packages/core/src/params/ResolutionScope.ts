import { MissingParameterError, type ParameterSite } from '../errors/MissingParameterError';
import { ParameterCycleError } from '../errors/ParameterCycleError';
import { ParameterResolutionError } from '../errors/ParameterResolutionError';
import { Argument } from './Argument';
import { isThenable } from '../util/isThenable';
import { NOT_CALLED, ProviderArg } from './ProviderArg';
import type { Injection } from './Injection';
import { PARAMETER_LEVELS, type ParameterLevel, type Parameters } from './levels';
import type { ArgumentScope } from './ArgumentScope';
import type { ResolutionHost } from './ResolutionHost';
import type { RunContext } from './RunContext';
import type { OutputLine } from '../log/OutputLine';

/** What a scope reads of the run it resolves arguments for. */
export interface RunControl {
  /** Aborted when the run is terminated. */
  readonly signal: AbortSignal;
  /** Takes a progress report; absent for a condition check. */
  report?(fraction: unknown, message?: unknown): void;
  /** Takes a line of the run's own output (`@RunLogger()`); absent for a condition check. */
  write?(line: OutputLine): void;
  /** The instant the run was due for (`@ScheduledAt()`); absent for a condition check. */
  readonly dueAt?: number;
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * Everything one run (or one condition check) resolves its arguments in, and the resolver
 * itself. It memoizes each argument so a provider needed twice in a run runs once, and tracks
 * the path being resolved so that a cycle is reported as a chain (`a -> b -> a`) instead of
 * overflowing the stack. Resolution is sequential, so a pending argument met again can only
 * be met on its own path.
 *
 * A failure deep in a chain of providers comes out naming the chain, as tsyringe nests its
 * messages: each parameter whose value needed a parameter that failed wraps that failure in a
 * `ParameterResolutionError` (inner error as `cause`), so a missing `db_host` needed by the
 * provider of `db_url` needed by task `load` reads `load <- db_url <- db_host`.
 */
export class ResolutionScope implements ArgumentScope {
  // Allocated on first use: a run without arguments should not pay for them.
  private memoized: Map<Argument, unknown> | undefined;
  /** Arguments being computed, with the path position of the label that led to each. */
  private pendingArgs: Map<Argument, number> | undefined;
  /** Labels (keys, providers) on the current resolution path, outermost first. */
  private readonly path: string[] = [];
  /**
   * For each failure that has left a parameter, the labels from that parameter down to where
   * it failed. A failure met here again has come out of a nested parameter: the one it leaves
   * now needed that one. Allocated on the first failure.
   */
  private failures: WeakMap<object, readonly string[]> | undefined;

  constructor(
    readonly host: ResolutionHost,
    /** The task being run or checked (what `@CurrentTask()` injects). */
    readonly task: unknown,
    readonly taskName: string | undefined,
    readonly batch: Parameters | undefined,
    readonly taskParams: Parameters | undefined,
    private readonly signalSource: RunControl,
  ) {}

  /** Aborted when the run is terminated. */
  get signal(): AbortSignal {
    return this.signalSource.signal;
  }

  /** The instant the run was due for (`@ScheduledAt()`); `undefined` outside a run. */
  get scheduledAt(): Date | undefined {
    const at = this.signalSource.dueAt;
    return at === undefined ? undefined : new Date(at);
  }

  /**
   * The run as the arguments produced where it executes see it, for a run in this process (or a
   * condition check, which has no progress or output).
   */
  get execution(): RunContext {
    const run = this.signalSource;
    return {
      taskName: this.taskName,
      // Read only by @Signal(): a run's AbortController is made when something asks for it.
      get signal(): AbortSignal {
        return run.signal;
      },
      container: this.host.container,
      task: this.task,
      ...(run.report === undefined ? {} : { report: run.report.bind(run) }),
      ...(run.write === undefined ? {} : { write: run.write.bind(run) }),
    };
  }

  /** The values for a method's parameters, in order, after `leading` bound arguments. */
  async resolveInjections(
    injections: readonly Injection[],
    owner: string,
    leading: readonly unknown[] = [],
  ): Promise<unknown[]> {
    const values: unknown[] = [...leading];
    for (let i = 0; i < injections.length; i++) {
      const injection = injections[i];
      if (injection === undefined) continue;
      const site: ParameterSite = {
        owner,
        index: leading.length + i,
        ...(this.taskName === undefined ? {} : { taskName: this.taskName }),
      };
      values.push(await this.resolveInjection(injection, site));
    }
    return values;
  }

  /**
   * The value of one injection. A failure of its own lookup or argument comes out as it was
   * raised; one that came out of a parameter it needed is wrapped in a
   * `ParameterResolutionError` naming this parameter.
   */
  async resolveInjection(injection: Injection, site: ParameterSite): Promise<unknown> {
    const label = injection.kind === 'keyed' ? injection.key : injection.argument.label;
    try {
      if (injection.kind === 'keyed') return await this.resolveKey(injection.key, injection.fallback, site);
      return await this.within(label, () => this.resolve(injection.argument));
    } catch (error) {
      throw this.link(error, label, site);
    }
  }

  /**
   * A keyed parameter through the four levels. `fallback` is the function level (`undefined`
   * for none). Only the winning level's value is materialized.
   */
  async resolveKey(key: string, fallback: unknown, site: ParameterSite): Promise<unknown> {
    for (const level of PARAMETER_LEVELS) {
      const found = this.lookup(level, key, fallback);
      if (found !== NOT_FOUND) return this.within(key, () => this.materialize(found));
    }
    throw new MissingParameterError(key, site, PARAMETER_LEVELS);
  }

  /**
   * The value of a keyed injection found without a promise: its winning level holds a plain value
   * (most parameters of most runs) or a provider that takes no parameters and answers at once.
   * `NOT_FOUND` when it needs {@link resolveInjection}: an argument to compute or wait for, or no
   * level that has the key (whose error that raises). Throws a provider's failure as the
   * asynchronous path rejects with it. Neither needs a path entry: nothing is resolved below them.
   */
  valueNow(injection: Injection): unknown {
    if (injection.kind !== 'keyed') return NOT_FOUND;
    for (const level of PARAMETER_LEVELS) {
      const found = this.lookup(level, injection.key, injection.fallback);
      if (found === NOT_FOUND) continue;
      return found instanceof Argument ? this.argumentNow(found) : found;
    }
    return NOT_FOUND;
  }

  /**
   * An argument's value when it is known or computed without waiting, else `NOT_FOUND`. A provider
   * that turned out async leaves its promise in the memo, where {@link resolve} waits for it: the
   * provider is never called twice in a run.
   */
  private argumentNow(argument: Argument): unknown {
    const memo = this.memoized;
    if (memo?.has(argument) === true) {
      const known = memo.get(argument);
      return isThenable(known) ? NOT_FOUND : known;
    }
    if (!(argument instanceof ProviderArg)) return NOT_FOUND;
    const value = argument.computeNow(this);
    if (value === NOT_CALLED) return NOT_FOUND;
    (this.memoized ??= new Map<Argument, unknown>()).set(argument, value);
    return isThenable(value) ? NOT_FOUND : value;
  }

  /** A session-level parameter only (what `SessionArg` reads); `NOT_FOUND` when absent. */
  async resolveSessionKey(key: string): Promise<unknown> {
    if (!this.host.sessionParams.has(key)) return NOT_FOUND;
    return this.within(key, () => this.materialize(this.host.sessionParams.get(key)));
  }

  /** A plain value as is; an argument computed (once per scope). */
  materialize(value: unknown): unknown {
    return value instanceof Argument ? this.resolve(value) : value;
  }

  /** Compute `argument` once in this scope, detecting cycles. */
  async resolve(argument: Argument): Promise<unknown> {
    const memo = (this.memoized ??= new Map<Argument, unknown>());
    if (memo.has(argument)) {
      // The memo holds a value, or the promise of a provider started by valueNow().
      const known = memo.get(argument);
      if (!isThenable(known)) return known;
      const value = await known;
      memo.set(argument, value);
      return value;
    }
    const pending = (this.pendingArgs ??= new Map<Argument, number>());
    const start = pending.get(argument);
    if (start !== undefined) throw new ParameterCycleError(this.path.slice(start), this.taskName);
    pending.set(argument, Math.max(0, this.path.length - 1));
    try {
      const value: unknown = await argument.compute(this);
      memo.set(argument, value);
      return value;
    } finally {
      pending.delete(argument);
    }
  }

  /**
   * `error` as it leaves the parameter `label` at `site`: unchanged the first time (it is this
   * parameter's own failure), wrapped with this link of the chain when it has already left a
   * nested parameter. A cycle already carries its whole chain and is never wrapped.
   */
  private link(error: unknown, label: string, site: ParameterSite): unknown {
    if (typeof error !== 'object' || error === null || error instanceof ParameterCycleError) return error;
    const failures = (this.failures ??= new WeakMap());
    const inner = failures.get(error);
    if (inner === undefined) {
      failures.set(error, [label]);
      return error;
    }
    const chain = [label, ...inner];
    const wrapped = new ParameterResolutionError(label, site, chain, error);
    failures.set(wrapped, chain);
    return wrapped;
  }

  private lookup(level: ParameterLevel, key: string, fallback: unknown): unknown {
    switch (level) {
      case 'batch':
        return this.batch !== undefined && hasOwn(this.batch, key) ? this.batch[key] : NOT_FOUND;
      case 'task':
        return this.taskParams !== undefined && hasOwn(this.taskParams, key)
          ? this.taskParams[key]
          : NOT_FOUND;
      case 'function':
        return fallback === undefined ? NOT_FOUND : fallback;
      case 'session':
        return this.host.sessionParams.has(key) ? this.host.sessionParams.get(key) : NOT_FOUND;
    }
  }

  private async within<T>(label: string, fn: () => Promise<T> | T): Promise<T> {
    this.path.push(label);
    try {
      return await fn();
    } finally {
      this.path.pop();
    }
  }
}

/** Returned by lookups that found nothing (distinct from a stored `undefined`). */
export const NOT_FOUND: unique symbol = Symbol('@apogee/core/not-found');
