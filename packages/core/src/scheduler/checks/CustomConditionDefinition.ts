import type { Signature } from '../../params/Signature';

/** A registered custom condition (`@Cond` or `app.cond`). */
export interface CustomConditionDefinition {
  readonly name: string;
  /** `Class.method` or the condition's name, for messages. */
  readonly owner: string;
  /** Parameters before the first decorated one: filled by `cond(name, ...args)`. */
  readonly leading: number;
  /** How many of the leading parameters have no default: fewer bound arguments fail at registration. */
  readonly required?: number;
  /** What its parameters after the leading ones receive, compiled at registration. */
  readonly signature: Signature;
  /** Poll interval, ms. */
  readonly poll: number;
  /** Time limit of one check, ms; `undefined` for the app's `conditionTimeout`. */
  readonly timeout?: number;
  readonly call: (args: unknown[]) => unknown;
}
