import type { SchedulerEvent } from './SchedulerEvent';

/**
 * Where the scheduler's events leave it: one path for every part. Per-run events
 * (`taskStarted`, `taskSucceeded`, ...) are only built while `listening` is true, so a scheduler
 * nobody watches allocates nothing for them.
 */
export interface EventSink {
  notify(event: SchedulerEvent): void;
  /** Whether anyone receives events now. */
  readonly listening: boolean;
}
