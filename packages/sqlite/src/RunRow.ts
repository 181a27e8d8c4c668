import { decodeRecord, encodeRecord } from '@apogee/core/internal';
import type { RunAction, RunRecord } from '@apogee/core';

/** A row of the `runs` table, as better-sqlite3 returns it. */
export interface RunRow {
  task_name: string;
  action: RunAction;
  created: number;
  run_id: string;
  start: number | null;
  end: number | null;
  runtime: number | null;
  error_message: string | null;
  error_stack: string | null;
  return_value: string | null;
  /** Absent in rows built for writing before the column existed; `null` when the run started when due. */
  scheduled_at?: number | null;
  /** Absent in rows built for writing before the column existed; `null` when the run had no batch parameters. */
  parameters?: string | null;
}

/** The row a record is stored as: the stored form every persistent log shares, in columns. */
export function toRow(record: RunRecord): RunRow {
  const s = encodeRecord(record);
  return {
    task_name: s.taskName,
    action: s.action,
    created: s.created,
    run_id: s.runId,
    start: s.start ?? null,
    end: s.end ?? null,
    runtime: s.runtime ?? null,
    error_message: s.errorMessage ?? null,
    error_stack: s.errorStack ?? null,
    return_value: s.returnValue ?? null,
    scheduled_at: s.scheduledAt ?? null,
    parameters: s.parameters ?? null,
  };
}

/** The record a row stands for: errors come back as `Error`s with their message and stack. */
export function toRecord(row: RunRow): RunRecord {
  return decodeRecord({
    taskName: row.task_name,
    action: row.action,
    created: row.created,
    runId: row.run_id,
    start: row.start ?? undefined,
    end: row.end ?? undefined,
    runtime: row.runtime ?? undefined,
    errorMessage: row.error_message ?? undefined,
    errorStack: row.error_stack ?? undefined,
    returnValue: row.return_value ?? undefined,
    scheduledAt: row.scheduled_at ?? undefined,
    parameters: row.parameters ?? undefined,
  });
}
