/**
 * Where the value of an argument is produced for a run, and whether it can reach a run that
 * executes in a worker (`thread`, `process`, `queue`). Registration reads it to refuse, naming
 * the parameter, what no run could receive; the run's preparation reads it to resolve
 * `scheduled` values and leave `executing` ones to the side that runs the task.
 */
export interface ArgumentPlacement {
  /**
   * `scheduled`: resolved where the run is scheduled (through the four levels), then sent to
   * where it executes. `executing`: made where the run executes (its signal, progress, output,
   * services of that side's container).
   */
  readonly produced: 'scheduled' | 'executing';
  /**
   * Set when no worker can receive the value: why, and the fix, in one sentence each
   * (`the session lives in the scheduler's process ... Fix: ...`).
   */
  readonly inProcessOnly?: string;
}

/** The placement of every argument that does not say otherwise: resolved, then sent. */
export const SCHEDULED: ArgumentPlacement = Object.freeze({ produced: 'scheduled' });

/** Made where the run executes, in any execution mode. */
export const EXECUTING: ArgumentPlacement = Object.freeze({ produced: 'executing' });
