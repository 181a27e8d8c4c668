import { ConfigurationError } from '../errors/ConfigurationError';
import { NoValueError } from '../errors/NoValueError';
import { ParameterResolutionError } from '../errors/ParameterResolutionError';
import { SCHEDULED, type ArgumentPlacement } from './ArgumentPlacement';
import type { ArgumentScope } from './ArgumentScope';
import type { RunContext } from './RunContext';

const BRAND = Symbol.for('@apogee/core/Argument');

/**
 * A lazily computed value, usable at any parameter level. Computed only when a run (or a
 * condition check) needs it, and at most once per run.
 *
 * Subclass it for a custom source: implement `compute`, and throw `NoValueError` to mean
 * "nothing here" so that `.or()` moves on.
 */
export abstract class Argument {
  /** Compute the value in `scope`. May be async. */
  abstract compute(scope: ArgumentScope): unknown;

  /** A short name for chains and messages. */
  abstract get label(): string;

  /**
   * Where a run's value of this argument is produced. Custom arguments are `scheduled`: computed
   * where the run is scheduled, then sent to where it executes (so their values must be plain
   * data for `thread`, `process` and `queue` runs).
   */
  get placement(): ArgumentPlacement {
    return SCHEDULED;
  }

  /**
   * Makes the value where the run executes; called only for an argument whose
   * {@link Argument.placement} is `executing` (Apogee's own `@Signal()`, `@Progress()`, ...).
   */
  produce?(run: RunContext): unknown;

  /**
   * `this`, or `next` when this finds no value (Rocketry's `>>`). Only "no value" moves on;
   * any other error propagates.
   *
   * @example
   * ```ts
   * const port = new EnvArg('PORT').or(new SimpleArg('8080'));
   * ```
   */
  or(next: Argument): Argument {
    // Checked here, where the pipe is written, not at run time as "compute is not a function".
    if (!Argument.isArgument(next))
      throw new ConfigurationError(
        `${this.label}.or(...)`,
        shown(next),
        'an argument such as new SimpleArg(4) (wrap a plain value in SimpleArg, a function in FuncArg)',
      );
    return new PipeArg([
      ...(this instanceof PipeArg ? this.parts : [this]),
      ...(next instanceof PipeArg ? next.parts : [next]),
    ]);
  }

  /** The argument's label. */
  toString(): string {
    return this.label;
  }

  /** True for any Argument, even one from another copy of the package. */
  static isArgument(value: unknown): value is Argument {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  static {
    Object.defineProperty(Argument.prototype, BRAND, { value: true });
  }
}

/** A value for a message: JSON where it has one, else its string form (a function, a symbol). */
function shown(value: unknown): unknown {
  return typeof value === 'function' || typeof value === 'symbol' || value === undefined
    ? String(value)
    : value;
}

/**
 * "No value here": a `NoValueError`, also when it came out of a parameter this one needed
 * (wrapped then in a `ParameterResolutionError` that names the chain).
 */
function isNoValue(error: unknown): error is NoValueError | ParameterResolutionError {
  const root = error instanceof ParameterResolutionError ? error.rootCause : error;
  return root instanceof NoValueError;
}

/** The first of several arguments that finds a value; built by `Argument.or`. */
class PipeArg extends Argument {
  constructor(readonly parts: readonly Argument[]) {
    super();
  }
  get label(): string {
    return this.parts.map((p) => p.label).join(' | ');
  }
  async compute(scope: ArgumentScope): Promise<unknown> {
    const reasons: string[] = [];
    for (const part of this.parts) {
      try {
        return await scope.resolve(part);
      } catch (error) {
        if (!isNoValue(error)) throw error;
        reasons.push(error.message);
      }
    }
    throw new NoValueError(`No argument in ${this.label} found a value: ${reasons.join('; ')}`);
  }
}
