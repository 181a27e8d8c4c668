import type { WireError } from '../execution/remote/wireError';
import { ShapeMismatch, optional, plainObject, text, type Shape } from './Shape';

/**
 * How many causes deep an error read from a store is kept: `toWireError` sends five levels; a
 * longer chain (20,000 deep, say) is cut here rather than followed into a stack overflow.
 */
export const MAX_CAUSE_DEPTH = 8;

const optionalText = optional(text);

/** Own simple fields (`code`, ...); `__proto__` is dropped, as `Object.assign` would set a prototype with it. */
function simpleFields(value: unknown, at: string): Record<string, unknown> {
  const source = value === undefined ? {} : plainObject(value, at);
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(source)) {
    if (key === '__proto__') continue;
    if (item !== null && !['string', 'number', 'boolean'].includes(typeof item))
      throw new ShapeMismatch(`${at}.${key}`, 'is not a string, number, boolean or null');
    out[key] = item;
  }
  return out;
}

/** One level of a chain, without its cause. */
function level(value: unknown, at: string): WireError {
  const source = plainObject(value, at);
  const stack = optionalText(source.stack, `${at}.stack`);
  return {
    name: text(source.name, `${at}.name`),
    message: text(source.message, `${at}.message`),
    ...(stack === undefined ? {} : { stack }),
    fields: simpleFields(source.fields, `${at}.fields`),
  };
}

/**
 * An error as it travels as data ({@link WireError}), its cause chain followed without recursion
 * and cut after {@link MAX_CAUSE_DEPTH} levels.
 */
export const wireErrorShape: Shape<WireError> = (value, at) => {
  const levels: WireError[] = [];
  let current: unknown = value;
  let where = at;
  while (current !== undefined && levels.length < MAX_CAUSE_DEPTH) {
    levels.push(level(current, where));
    current = (current as { cause?: unknown }).cause;
    where = `${where}.cause`;
  }
  let chain: WireError | undefined;
  for (let i = levels.length - 1; i >= 0; i--) {
    const item = levels[i] as WireError;
    chain = chain === undefined ? item : { ...item, cause: chain };
  }
  return chain as WireError;
};
