import type { StoreFailure } from '../../store/StoreFailure';
import type { Clock } from '../../time/Clock';

/**
 * Whether this app may schedule runs, when several processes share one schedule (a leader lease
 * in a shared store, say). A scheduler that is not the leader checks no condition and starts no
 * run, except its own start-up and shutdown tasks; it starts scheduling when it becomes the
 * leader, and stops starting runs (live ones go on) when it stops being the leader.
 *
 * @example
 * ```ts
 * const leadership = new ManualLeadership(false);
 * lease.on('acquired', () => leadership.set(true));
 * lease.on('lost', () => leadership.set(false));
 * ```
 */
export interface Leadership {
  /** Whether this app is the leader now, and so may check conditions and start runs. */
  readonly isLeader: boolean;
  /**
   * Calls `listener` with the new value each time `isLeader` changes (and, on a loss, why, when
   * the leadership knows); returns what stops that.
   */
  onChange(listener: (isLeader: boolean, reason?: string) => void): () => void;
  /**
   * Called when `app.run()` starts, before scheduling: a lease starts campaigning here. `clock`
   * is the app's (what its records and slots are written with), for a lease that compares it
   * with its store's.
   */
  start?(clock?: Clock): void | Promise<void>;
  /**
   * For a lease kept in a store: how often it is renewed, in ms (the leader sweeps runs left open
   * by dead processes at that pace).
   */
  readonly renewInterval?: number;
  /** Called when the app has shut down: a lease is given up here, so another process takes over at once. */
  stop?(): void | Promise<void>;
  /**
   * For a lease kept in a store: the last operation on the store that failed (a campaign, a
   * renewal, a heartbeat), shown by `app.status` and `GET /readyz`; `undefined` while none has.
   */
  readonly lastStoreError?: StoreFailure | undefined;
}

const NOTHING_TO_STOP = (): void => undefined;

/** The default: a single process that is always the leader. */
export const alwaysLeader: Leadership = Object.freeze({
  isLeader: true,
  onChange: () => NOTHING_TO_STOP,
});
