import type Database from 'better-sqlite3';

/**
 * The `task_pause` table: each task's last `task.disable()` / `task.enable()`, one row per task,
 * so a paused task stays paused after a restart (and for every app on the file).
 */
export class TaskPauses {
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO task_pause (task_name, disabled) VALUES (?, ?)
       ON CONFLICT (task_name) DO UPDATE SET disabled = excluded.disabled`,
    );
    this.select = db.prepare('SELECT task_name, disabled FROM task_pause');
  }

  set(taskName: string, disabled: boolean): void {
    this.upsert.run(taskName, disabled ? 1 : 0);
  }

  all(): Map<string, boolean> {
    const rows = this.select.all() as { task_name: string; disabled: number }[];
    return new Map(rows.map((r) => [r.task_name, r.disabled === 1]));
  }
}
