/**
 * Schema versions, in order; `PRAGMA user_version` records how many have been applied.
 * Version 1 kept only the history. Version 2 adds one row per task and action with the last
 * record, the task's status and last return value, and the runs still open, so start-up reads
 * a few rows per task instead of the history. Version 3 adds an index for each filter of
 * `records()`, a count of the records kept per task (kept by triggers) so retention finds the tasks
 * over their cap without counting the history, and the row naming the app that owns the file.
 * Version 4 adds `scheduled_at` and the task pauses. Version 5 adds the batch parameters of a run.
 * Version 6 adds each run's own output, deleted by a trigger with the run's end record (so
 * retention, which deletes records, removes output with no code of its own).
 *
 * A migration is frozen once released, so the action lists in its SQL (the endings that reset the
 * failure streak) are spelled out rather than built from `RUN_ACTIONS`: a later action must not
 * change what an old file's upgrade computed.
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     task_name TEXT NOT NULL,
     action TEXT NOT NULL,
     created INTEGER NOT NULL,
     run_id TEXT NOT NULL,
     start INTEGER,
     end INTEGER,
     runtime REAL,
     error_message TEXT,
     error_stack TEXT,
     return_value TEXT
   );
   CREATE INDEX runs_by_task ON runs (task_name, id);
   CREATE INDEX runs_by_created ON runs (created);`,
  `CREATE TABLE task_last (
     task_name TEXT NOT NULL,
     action TEXT NOT NULL,
     created INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     PRIMARY KEY (task_name, action)
   ) WITHOUT ROWID;
   CREATE TABLE task_state (
     task_name TEXT PRIMARY KEY,
     status TEXT,
     consecutive_fails INTEGER NOT NULL DEFAULT 0,
     has_return INTEGER NOT NULL DEFAULT 0,
     return_value TEXT
   );
   -- Finding the runs left open joins records by run id: without this index, opening a large
   -- file written by version 1 would take quadratic time.
   CREATE INDEX runs_by_run ON runs (run_id);
   CREATE TABLE open_runs (
     run_id TEXT PRIMARY KEY,
     task_name TEXT NOT NULL,
     start INTEGER NOT NULL
   );
   INSERT INTO task_last (task_name, action, created, seq)
     SELECT task_name, action, MAX(created), MAX(id) FROM runs GROUP BY task_name, action;
   INSERT INTO task_state (task_name, status)
     SELECT r.task_name, r.action FROM runs r
     JOIN (SELECT task_name, MAX(id) AS id FROM runs GROUP BY task_name) latest ON r.id = latest.id;
   UPDATE task_state SET
     consecutive_fails = (
       SELECT COUNT(*) FROM runs f WHERE f.task_name = task_state.task_name AND f.action = 'fail' AND f.id > COALESCE(
         (SELECT MAX(id) FROM runs o WHERE o.task_name = task_state.task_name AND o.action IN ('success', 'terminate', 'inaction', 'crash')), 0)),
     return_value = (
       SELECT return_value FROM runs s WHERE s.task_name = task_state.task_name AND s.action = 'success' ORDER BY s.id DESC LIMIT 1),
     has_return = EXISTS (
       SELECT 1 FROM runs s WHERE s.task_name = task_state.task_name AND s.action = 'success' AND s.return_value IS NOT NULL);
   INSERT INTO open_runs (run_id, task_name, start)
     SELECT r.run_id, r.task_name, COALESCE(r.start, r.created) FROM runs r
     WHERE r.action = 'run' AND NOT EXISTS (SELECT 1 FROM runs e WHERE e.run_id = r.run_id AND e.action != 'run');`,
  `-- records() reads the newest matching rows backwards through one of these and stops at its limit.
   CREATE INDEX runs_by_action ON runs (action, id);
   CREATE INDEX runs_by_task_action ON runs (task_name, action, id);
   ALTER TABLE task_state ADD COLUMN kept INTEGER NOT NULL DEFAULT 0;
   INSERT INTO task_state (task_name)
     SELECT DISTINCT task_name FROM runs WHERE task_name NOT IN (SELECT task_name FROM task_state);
   UPDATE task_state SET kept = (SELECT COUNT(*) FROM runs WHERE runs.task_name = task_state.task_name);
   -- Triggers, not the writer, keep the count: every insert and delete, whoever makes it, is counted.
   CREATE TRIGGER runs_kept_insert AFTER INSERT ON runs BEGIN
     INSERT INTO task_state (task_name, kept) VALUES (new.task_name, 1)
       ON CONFLICT (task_name) DO UPDATE SET kept = kept + 1;
   END;
   CREATE TRIGGER runs_kept_delete AFTER DELETE ON runs BEGIN
     UPDATE task_state SET kept = kept - 1 WHERE task_name = old.task_name;
   END;
   -- At most one row: the process whose app runs on this file.
   CREATE TABLE owner (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     token TEXT NOT NULL,
     pid INTEGER NOT NULL,
     host TEXT NOT NULL,
     since INTEGER NOT NULL,
     renewed INTEGER NOT NULL
   );`,
  `-- The instant a run was due for, when it was not its start (RunRecord.scheduledAt).
   ALTER TABLE runs ADD COLUMN scheduled_at INTEGER;
   -- task.disable() / task.enable(): the last state per task, which wins over the code's option.
   CREATE TABLE task_pause (
     task_name TEXT PRIMARY KEY,
     disabled INTEGER NOT NULL
   );`,
  `-- The batch parameters a run was started with, as JSON with Private values masked (RunRecord.parameters).
   ALTER TABLE runs ADD COLUMN parameters TEXT;`,
  `-- Each run's own output (@RunLogger(), a worker's console), in the order it was written.
   CREATE TABLE run_output (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     run_id TEXT NOT NULL,
     at INTEGER NOT NULL,
     level TEXT NOT NULL,
     message TEXT NOT NULL,
     fields TEXT
   );
   CREATE INDEX run_output_by_run ON run_output (run_id, id);
   -- The end record is deleted after the start (retention deletes oldest first): the output goes with it.
   CREATE TRIGGER runs_output_delete AFTER DELETE ON runs WHEN old.action != 'run' BEGIN
     DELETE FROM run_output WHERE run_id = old.run_id;
   END;`,
];
