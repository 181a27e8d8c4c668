import type Database from 'better-sqlite3';
import type { Clock } from '@apogee/core';

/**
 * Most records one step of retention deletes: a few milliseconds of work (see
 * bench/src/sqliteRetention.ts), so neither an append that runs a step nor the background drain
 * holds the event loop for long.
 */
export const RETENTION_STEP_SIZE = 500;

/**
 * Appends between two steps run by the appends themselves. Each step can delete far more than
 * was appended since the last one, so the cap holds at any append rate, with at most this many
 * records of slack (the appends since the last step).
 */
export const RETENTION_STEP_EVERY = 100;

/** The limits of {@link Retention}, in milliseconds and records. */
export interface RetentionLimits {
  readonly maxAge: number | undefined;
  readonly perTask: number | undefined;
}

/**
 * Deletes the records beyond the retention limits, at most {@link RETENTION_STEP_SIZE} per step.
 * No step counts or scans the history: the per-task counts kept by triggers (`task_state.kept`,
 * one row per task) name the tasks over their cap, and the index `runs_by_task` gives each one's
 * oldest records, `runs_by_created` the records past `maxAge`.
 */
export class Retention {
  private readonly overCap: Database.Statement<[number, number], { task_name: string; kept: number }>;
  private readonly deleteOldestOfTask: Database.Statement<[string, number]>;
  private readonly deleteOlderThan: Database.Statement<[number, number]>;
  private readonly runStep: () => number;

  constructor(
    db: Database.Database,
    private readonly limits: RetentionLimits,
    private readonly clock: Clock,
  ) {
    this.overCap = db.prepare(
      'SELECT task_name, kept FROM task_state WHERE kept > ? ORDER BY kept DESC LIMIT ?',
    );
    this.deleteOldestOfTask = db.prepare(
      'DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE task_name = ? ORDER BY id LIMIT ?)',
    );
    this.deleteOlderThan = db.prepare(
      'DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE created < ? ORDER BY created LIMIT ?)',
    );
    // One transaction per step: one commit for up to 500 deletes instead of one each.
    this.runStep = db.transaction(() => this.deleteStep());
  }

  /** Whether any limit is set. */
  get active(): boolean {
    return this.limits.maxAge !== undefined || this.limits.perTask !== undefined;
  }

  /** Deletes at most {@link RETENTION_STEP_SIZE} records past the limits; returns how many it deleted. */
  step(): number {
    return this.active ? this.runStep() : 0;
  }

  private deleteStep(): number {
    let budget = RETENTION_STEP_SIZE;
    // The per-task cap first: it is the limit a fast writer can outrun.
    const { perTask, maxAge } = this.limits;
    if (perTask !== undefined) {
      for (const task of this.overCap.all(perTask, budget)) {
        if (budget === 0) break;
        budget -= this.deleteOldestOfTask.run(task.task_name, Math.min(budget, task.kept - perTask)).changes;
      }
    }
    if (maxAge !== undefined && budget > 0) {
      budget -= this.deleteOlderThan.run(this.clock.now() - maxAge, budget).changes;
    }
    return RETENTION_STEP_SIZE - budget;
  }
}
