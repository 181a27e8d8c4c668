import type { StoreWarnings } from '@apogee/core/internal';
import type { OpenFile } from './OpenFile';
import { RETENTION_STEP_EVERY, RETENTION_STEP_SIZE } from './Retention';

/**
 * When a `SqliteRunLog` applies its retention: one step every RETENTION_STEP_EVERY appends, in
 * line (a writer in a tight loop never yields, and the cap must hold anyway), and a backlog (a
 * lowered limit, a long-stopped app) drained in the background, one step per turn of the event loop.
 */
export class RetentionDrain {
  /** Appends since the last retention step they ran. */
  private appendsSinceStep = 0;
  /** Whether background steps are draining a backlog. */
  private draining = false;

  constructor(
    private readonly file: OpenFile,
    private readonly warnings: StoreWarnings,
  ) {}

  /** Counts one append; every RETENTION_STEP_EVERY, runs a step (and drains if it was full). */
  appended(): void {
    if (++this.appendsSinceStep < RETENTION_STEP_EVERY) return;
    this.appendsSinceStep = 0;
    if (this.step() === RETENTION_STEP_SIZE) this.drainSoon();
  }

  /** Drains a backlog in the background: one step per turn of the event loop until none is left. */
  drainSoon(): void {
    if (this.draining || this.file.current?.retention.active !== true) return;
    this.draining = true;
    const next = (): void => {
      if (this.step() === RETENTION_STEP_SIZE) setImmediate(next).unref();
      else this.draining = false;
    };
    setImmediate(next).unref();
  }

  /** One step of retention; a failure is a warning, since the record that triggered it is stored. */
  private step(): number {
    const conn = this.file.current;
    if (conn?.db.open !== true) return 0;
    try {
      return conn.retention.step();
    } catch (error) {
      this.warnings.failed('apply retention', error, 'The next step tries again.');
      return 0;
    }
  }
}
