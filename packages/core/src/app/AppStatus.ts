import type { StoreFailure } from '../store/StoreFailure';

/** What this process is in its cluster: see {@link AppStatus.role}. */
export type ClusterRole = 'leader' | 'standby' | 'single';

/**
 * A read-only snapshot of how this process is doing, for health checks (`GET /healthz`,
 * `GET /readyz` of `@apogee/http`) and dashboards. Read it again for a fresh one.
 *
 * @example
 * ```ts
 * const { role, lastStoreError } = app.status;
 * if (lastStoreError !== undefined) console.warn(`${role}: ${lastStoreError.operation} failed`);
 * ```
 */
export interface AppStatus {
  /** Between `app.run()` and the end of its shutdown. */
  readonly running: boolean;
  /**
   * When the scheduler's loop last finished a pass. The loop passes when something falls due
   * (a wake, a run ending, a request), so an idle app's last pass may be old; a running app
   * whose pass never ends is stuck in it.
   */
  readonly lastPassAt?: Date;
  /**
   * `'leader'`: this process checks conditions and starts runs (its lease is held and the state
   * restored); `'standby'`: another process does, or none can now; `'single'`: no lease is
   * configured, this process alone schedules.
   */
  readonly role: ClusterRole;
  /** Since when `role` holds (the app's creation for `'single'`). */
  readonly since: Date;
  /** The last operation on the shared store (lease or run log) that failed, while one has. */
  readonly lastStoreError?: StoreFailure;
}
