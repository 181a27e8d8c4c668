import type { WireError } from '@apogee/core/internal';

/** A parameter the worker fills in itself: the run's `AbortSignal`, or a service from its container. */
export interface LocalSlot {
  readonly index: number;
  readonly kind: 'signal' | 'service';
}

/** A queue run as a BullMQ job's data: JSON only (see `toJsonValue`). */
export interface QueueJob {
  readonly taskName: string;
  readonly runId: string;
  /** Arguments by position, resolved by the leader; the `local` positions are filled by the worker. */
  readonly args: readonly unknown[];
  readonly local: readonly LocalSlot[];
}

/**
 * How a run ended, as the job's return value. Failures are results too, not BullMQ failures: an
 * error's name, code and stack survive only as data, and a BullMQ `failed` job then means only
 * that the job itself broke (its worker died, found by stalled-job detection).
 */
export type QueueResult =
  | { readonly type: 'success'; readonly returnValue: unknown }
  | { readonly type: 'fail' | 'inaction'; readonly error: WireError };

/** What the cancel channel carries: abort this job's run wherever it executes. */
export interface CancelMessage {
  readonly jobId: string;
  readonly reason: WireError;
}

/** A run's job id: the same for the same run, so that adding it twice (after a failover) adds it once. */
export const jobIdOf = (taskName: string, runId: string): string =>
  `${encodeURIComponent(taskName)}.${runId}`;
