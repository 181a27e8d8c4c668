import type { RunContextCarrier } from '../instrumentation/Instrumentation';

/**
 * A run's arguments as they travel from where it is scheduled to where it executes: the values
 * resolved there by position, with a hole (`null`) at each position the executing side fills in.
 */
export interface PreparedRun {
  readonly args: readonly unknown[];
  /**
   * The positions left for the executing side, as the scheduler's signature has them: the worker
   * checks its own signature agrees before it fills them.
   */
  readonly executing: readonly number[];
  /**
   * The run's trace context, when an instrumentation carries one into workers
   * (`RunObserver.carrier`): the worker runs the task inside it.
   */
  readonly carrier?: RunContextCarrier;
}
