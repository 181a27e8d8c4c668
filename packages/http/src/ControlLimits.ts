import { ConfigurationError } from '@apogee/core';

/** The bounds a control handler keeps, whatever its clients send. */
export interface ControlLimits {
  /** Largest accepted request body, in bytes. Default 64 KiB. */
  readonly bodyLimit: number;
  /** Most runs a task may have waiting before `POST /tasks/:name/run` answers 429. Default 100. */
  readonly maxQueuedBatches: number;
  /** Most `GET /events` streams at once; one more gets a 503. Default 32. */
  readonly maxEventClients: number;
  /** Most bytes an event stream may hold for a client that does not read; past it, it is disconnected. Default 1 MiB. */
  readonly eventBufferLimit: number;
}

const DEFAULTS: ControlLimits = {
  bodyLimit: 64 * 1024,
  maxQueuedBatches: 100,
  maxEventClients: 32,
  eventBufferLimit: 1024 * 1024,
};

/**
 * The limits from the options, each a whole number, 0 or more (0 refuses every body, run or
 * stream); the default where absent. `owner` names the options in the error (`serveControl`).
 */
export function controlLimits(options: Partial<ControlLimits>, owner: string): ControlLimits {
  const read = (name: keyof ControlLimits): number => {
    const value = options[name] ?? DEFAULTS[name];
    if (!Number.isSafeInteger(value) || value < 0)
      throw new ConfigurationError(`${owner} ${name}`, value, 'a whole number, 0 or more');
    return value;
  };
  return {
    bodyLimit: read('bodyLimit'),
    maxQueuedBatches: read('maxQueuedBatches'),
    maxEventClients: read('maxEventClients'),
    eventBufferLimit: read('eventBufferLimit'),
  };
}
