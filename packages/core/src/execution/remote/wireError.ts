import { errorMessage } from '../../errors/errorMessage';

/**
 * An error as it crosses between a worker and the scheduler. Structured clone keeps only the
 * built-in error types and drops own fields such as `code`, so errors travel as plain data.
 */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  /** Own enumerable fields that cloned (`code`, `taskName`, ...). */
  readonly fields: Record<string, unknown>;
  readonly cause?: WireError;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Flattens anything thrown into a {@link WireError}. */
export function toWireError(error: unknown, depth = 0): WireError {
  if (!isObject(error)) return { name: 'Error', message: errorMessage(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'cause' || key === 'message' || key === 'stack' || key === 'name') continue;
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  const cause = error.cause;
  return {
    name: typeof error.name === 'string' ? error.name : 'Error',
    message: errorMessage(error),
    ...(typeof error.stack === 'string' ? { stack: error.stack } : {}),
    fields,
    ...(cause !== undefined && depth < 4 ? { cause: toWireError(cause, depth + 1) } : {}),
  };
}

/** An `Error` carrying the original's name, message, stack and simple fields. */
export function fromWireError(wire: WireError): Error {
  const error = new Error(
    wire.message,
    wire.cause === undefined ? undefined : { cause: fromWireError(wire.cause) },
  );
  Object.assign(error, wire.fields);
  error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}
