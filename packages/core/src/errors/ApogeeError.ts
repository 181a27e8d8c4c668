const BRAND = Symbol.for('@apogee/core/ApogeeError');

/** Structured fields every Apogee error may carry, so tools can read the culprit without parsing text. */
export interface ApogeeErrorFields {
  /** The task the failure belongs to, when there is one. */
  readonly taskName?: string;
  /** The parameter key involved, when there is one. */
  readonly key?: string;
  /** A resolution chain (`['a', 'b', 'a']`), for cycles. */
  readonly chain?: readonly string[];
  /** The offending input (a condition string, a duration, a decorator call). */
  readonly input?: unknown;
  /** The error this one wraps. */
  readonly cause?: unknown;
}

/**
 * Base class of every error Apogee throws or records.
 *
 * Each subclass names its problem (`MissingParameterError`, ...) and a stable string `code`;
 * messages name the culprit, say what was tried and suggest a fix.
 *
 * @example
 * ```ts
 * try { app.session.get('nope'); } catch (e) { if (ApogeeError.is(e)) console.log(e.code); }
 * ```
 */
export class ApogeeError extends Error implements ApogeeErrorFields {
  /** A stable, machine-readable code such as `'MISSING_PARAMETER'`. */
  readonly code: string;
  /** The task the failure belongs to, when there is one. */
  readonly taskName?: string;
  /** The parameter key involved, when there is one. */
  readonly key?: string;
  /** A resolution chain (`['a', 'b', 'a']`), for cycles. */
  readonly chain?: readonly string[];
  /** The offending input (a condition string, a duration, a decorator call). */
  readonly input?: unknown;

  constructor(code: string, message: string, fields: ApogeeErrorFields = {}) {
    super(message, fields.cause === undefined ? undefined : { cause: fields.cause });
    this.name = new.target.name;
    this.code = code;
    if (fields.taskName !== undefined) this.taskName = fields.taskName;
    if (fields.key !== undefined) this.key = fields.key;
    if (fields.chain !== undefined) this.chain = fields.chain;
    if (fields.input !== undefined) this.input = fields.input;
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** True for any Apogee error, even one from another copy of the package. */
  static is(value: unknown): value is ApogeeError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }
}
