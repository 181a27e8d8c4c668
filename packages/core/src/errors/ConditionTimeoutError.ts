import { ApogeeError } from './ApogeeError';

/**
 * A condition check did not settle within its time limit (`config.conditionTimeout`, or the
 * custom condition's own `timeout`). It counts as false and is checked again soon; the error
 * comes with the `conditionFailed` event. Other tasks never wait for it.
 */
export class ConditionTimeoutError extends ApogeeError {
  /** The limit it went over, ms. */
  readonly limit: number;

  constructor(condition: string, taskName: string | undefined, limitMs: number) {
    const of = taskName === undefined ? 'config.shutdownWhen' : `task "${taskName}"`;
    super(
      'CONDITION_TIMEOUT',
      `Condition "${condition}" of ${of} did not settle within ${String(limitMs)} ms: it counts as false and is checked again in 1 second.\n` +
        `Fix: make the check finish sooner (bound what it waits for, e.g. with AbortSignal.timeout()), or raise ` +
        `the limit with @Cond(name, { timeout }), app.cond({ timeout }) or config.conditionTimeout.`,
      { ...(taskName === undefined ? {} : { taskName }), input: condition },
    );
    this.limit = limitMs;
  }
}
