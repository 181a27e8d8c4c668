import { errorMessage } from '@apogee/core/internal';
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

/** JSON for a value, or `null` when it does not survive the trip (functions, cycles, ...). */
export function toJson(value: unknown): string | null {
  if (value === undefined) return null;
  try {
    return JSON.stringify(value);
  } catch {
    return null;
  }
}

export const errorParts = (error: unknown): { message: string | null; stack: string | null } => {
  if (error === undefined) return { message: null, stack: null };
  const stack: unknown =
    typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
  if (typeof stack === 'string') return { message: errorMessage(error), stack };
  return { message: errorMessage(error), stack: null };
};

/** The record a row stands for: errors come back as `Error`s with their message and stack. */
export function toRecord(row: RunRow): RunRecord {
  const record: Record<string, unknown> = {
    taskName: row.task_name,
    action: row.action,
    created: new Date(row.created),
    runId: row.run_id,
  };
  if (row.start !== null) record.start = new Date(row.start);
  if (row.end !== null) record.end = new Date(row.end);
  if (row.scheduled_at !== undefined && row.scheduled_at !== null)
    record.scheduledAt = new Date(row.scheduled_at);
  if (row.runtime !== null) record.runtime = row.runtime;
  if (row.error_message !== null) {
    const error = new Error(row.error_message);
    error.stack = row.error_stack ?? undefined;
    record.error = error;
  }
  if (row.return_value !== null) record.returnValue = JSON.parse(row.return_value) as unknown;
  if (row.parameters !== undefined && row.parameters !== null)
    record.parameters = JSON.parse(row.parameters) as unknown;
  return record as unknown as RunRecord;
}
