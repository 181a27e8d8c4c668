import { decodeRecord, encodeRecord, type StoredRecord } from '@apogee/core/internal';
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

/** Each column of `runs` and the field of the stored record it holds. */
const COLUMNS = [
  ['task_name', 'taskName'],
  ['action', 'action'],
  ['created', 'created'],
  ['run_id', 'runId'],
  ['start', 'start'],
  ['end', 'end'],
  ['runtime', 'runtime'],
  ['error_message', 'errorMessage'],
  ['error_stack', 'errorStack'],
  ['return_value', 'returnValue'],
  ['scheduled_at', 'scheduledAt'],
  ['parameters', 'parameters'],
] as const satisfies readonly (readonly [keyof RunRow, keyof StoredRecord])[];

/** The row a record is stored as: the stored form every persistent log shares, in columns. */
export function toRow(record: RunRecord): RunRow {
  const stored = encodeRecord(record);
  return Object.fromEntries(
    COLUMNS.map(([column, field]) => [column, stored[field] ?? null]),
  ) as unknown as RunRow;
}

/** The record a row stands for: errors come back as `Error`s with their message and stack. */
export function toRecord(row: RunRow): RunRecord {
  const stored = Object.fromEntries(COLUMNS.map(([column, field]) => [field, row[column] ?? undefined]));
  return decodeRecord(stored as unknown as StoredRecord);
}
