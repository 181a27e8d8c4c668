import { processWarning, type Warning } from '../logging/FoldedWarnings';
import { alwaysLeader, type Leadership } from '../scheduler/cluster/Leadership';
import type { EventSink } from '../scheduler/events/EventSink';
import type { StoreFailure } from '../store/StoreFailure';
import type { Clock } from '../time/Clock';

/** Restores the task state from the run log (the app's `StateRestore`). */
export interface Restorer {
  restore(): Promise<void>;
}

/**
 * What the scheduler sees of the app's {@link Leadership}: it leads only once the task state has
 * been restored from the run log after the leadership was gained, so that a `daily` task that
 * ran today on the previous leader does not run again here. Emits `leadershipAcquired` (after
 * the restore) and `leadershipLost`. Without a leadership (`alwaysLeader`) it always leads and
 * emits nothing.
 */
export class LeadershipGate implements Leadership {
  private readonly listeners = new Set<(isLeader: boolean, reason?: string) => void>();
  private readonly state = {
    /** Restored since the leadership was gained, and not lost since. */
    open: false,
    /** Bumped on each change, so a restore that finishes after a newer change opens nothing. */
    generation: 0,
    stopWatching: undefined as (() => void) | undefined,
    /** What restores the task state on a gain, given at `open` (no gain is heard before it). */
    restorer: undefined as Restorer | undefined,
    /** When `open` last changed (or the gate was made): what `app.status.since` shows. */
    since: 0,
  };

  constructor(
    private readonly inner: Leadership,
    private readonly events: EventSink,
    private readonly clock: Clock,
    /** Where warnings go (the app's logger); default `process.emitWarning`. */
    private readonly warn: (warning: Warning) => void = processWarning,
  ) {
    this.state.since = clock.now();
  }

  /** Whether a lease is configured at all (`single` without one). */
  get isSingle(): boolean {
    return this.inner === alwaysLeader;
  }

  /** When the leadership last changed here, ms since the epoch. */
  get since(): number {
    return this.state.since;
  }

  /** How often the lease is renewed (ms), when it is kept in a store. */
  get renewInterval(): number | undefined {
    return this.inner.renewInterval;
  }

  /** The lease's last failed store operation, if it keeps one. */
  get lastStoreError(): StoreFailure | undefined {
    return this.inner.lastStoreError;
  }

  get isLeader(): boolean {
    return this.inner === alwaysLeader || (this.state.open && this.inner.isLeader);
  }

  onChange(listener: (isLeader: boolean, reason?: string) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Follows the leadership from now on (`app.run()` starting); `restored` says the state was
   * restored just now, so a leadership already held opens without a second restore. `restorer`
   * restores the state on each later gain.
   */
  async open(restorer: Restorer, restored: boolean): Promise<void> {
    if (this.inner === alwaysLeader) return;
    this.state.restorer = restorer;
    // Held before it starts (a leadership set by hand): the restore at start was made under it.
    const heldBefore = this.inner.isLeader;
    this.state.stopWatching = this.inner.onChange((isLeader, reason) => {
      void this.changed(isLeader, reason, false);
    });
    if (heldBefore) await this.changed(true, undefined, restored);
    await this.inner.start?.(this.clock);
  }

  /** Stops following it (the app has shut down) and gives it up. */
  async close(): Promise<void> {
    if (this.inner === alwaysLeader) return;
    this.state.stopWatching?.();
    this.state.stopWatching = undefined;
    await this.inner.stop?.();
    this.changedSync(false, 'the app shut down');
  }

  private async changed(isLeader: boolean, reason: string | undefined, restored: boolean): Promise<void> {
    const generation = ++this.state.generation;
    if (!isLeader) {
      this.changedSync(false, reason);
      return;
    }
    if (!restored) {
      try {
        await this.state.restorer?.restore();
      } catch (error) {
        this.warn({
          code: 'APOGEE_RESTORE_FAILED',
          message: () =>
            `Apogee: this process gained the leadership but could not restore task state from the run log (${String(error)}); it will not schedule until it gains it again.`,
        });
        return;
      }
    }
    if (generation === this.state.generation && this.inner.isLeader) this.changedSync(true, undefined);
  }

  private changedSync(isLeader: boolean, reason: string | undefined): void {
    if (this.state.open === isLeader) return;
    this.state.open = isLeader;
    this.state.since = this.clock.now();
    const at = new Date(this.state.since);
    this.events.notify(
      isLeader
        ? { type: 'leadershipAcquired', at }
        : { type: 'leadershipLost', at, ...(reason === undefined ? {} : { reason }) },
    );
    for (const listener of [...this.listeners]) listener(isLeader, reason);
  }
}
