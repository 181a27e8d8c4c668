/**
 * The parameter levels, highest priority first. Precedence is encoded here and nowhere else:
 * the resolver walks this list and the first level that has the key wins.
 */
export const PARAMETER_LEVELS = ['batch', 'task', 'function', 'session'] as const;

/** One of the four parameter levels. */
export type ParameterLevel = (typeof PARAMETER_LEVELS)[number];

/** Key/value pairs at one level. Values are plain values or `Argument`s. */
export type Parameters = Readonly<Record<string, unknown>>;
