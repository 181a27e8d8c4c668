import type { Condition } from '../conditions/Condition';

/** Where the scheduler is in its lifecycle. */
export type SchedulerPhase = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * The lifecycle state: the {@link Scheduler} writes it as it starts and stops, its loop reads it
 * (a pass runs only while `running`; `shutdownWhen` is checked in every pass).
 */
export interface SchedulerLifecycle {
  /** The current phase; `start()` and `shutdown()` move it on. */
  phase: SchedulerPhase;
  /** Stops the scheduler when it holds (`config.shutdownWhen`), set by `start()`. */
  shutdownWhen: Condition | undefined;
}
