import type { Parameters, RunAction, RunLog } from '@apogee/core';
import { endsRun, errorMessage } from '@apogee/core/internal';
import { recordsBack } from './recordsBack';

/** One run as the dashboard's run detail shows it. */
export interface RunDetail {
  readonly taskName: string;
  readonly runId: string;
  /** How it ended, or `run` while it has not. */
  readonly action: RunAction;
  readonly start: Date | null;
  readonly end: Date | null;
  readonly runtime: number | null;
  /** Why it failed or was terminated: name and message. */
  readonly error?: { readonly name: string; readonly message: string };
  /**
   * The error's stack, kept apart from `error`: the API writes error objects as name and message
   * only, and a run's detail is the one place where the stack is wanted.
   */
  readonly stack?: string;
  readonly returnValue?: unknown;
  /** The batch parameters it was started with (`RunRecord.parameters`); the API writes a `Private` as `*****`. */
  readonly parameters?: Parameters;
}

function describeError(error: unknown): Pick<RunDetail, 'error' | 'stack'> {
  if (error === undefined) return {};
  const name =
    typeof error === 'object' && error !== null && typeof (error as { name?: unknown }).name === 'string'
      ? (error as { name: string }).name
      : 'Error';
  const stack: unknown =
    typeof error === 'object' && error !== null ? (error as { stack?: unknown }).stack : undefined;
  return { error: { name, message: errorMessage(error) }, ...(typeof stack === 'string' ? { stack } : {}) };
}

/**
 * The records of run `runId` of a task, merged into one detail; `undefined` when none of the
 * newest `budget` records belongs to it (an old run a bounded log has dropped, or a wrong id).
 */
export async function findRun(
  log: RunLog,
  taskName: string,
  runId: string,
  budget: number,
): Promise<RunDetail | undefined> {
  let opened: { start: Date; parameters?: Parameters } | undefined;
  let ended: RunDetail | undefined;
  await recordsBack(log, taskName, budget, (record) => {
    if (record.runId !== runId) return true;
    if (endsRun(record.action)) {
      ended = {
        taskName,
        runId,
        action: record.action,
        start: record.start ?? null,
        end: record.end ?? record.created,
        runtime: record.runtime ?? null,
        ...describeError(record.error),
        ...(record.returnValue === undefined ? {} : { returnValue: record.returnValue }),
        ...(record.parameters === undefined ? {} : { parameters: record.parameters }),
      };
    } else {
      opened = {
        start: record.start ?? record.created,
        ...(record.parameters === undefined ? {} : { parameters: record.parameters }),
      };
    }
    // Newest first: once the opening record is seen, the run has nothing older.
    return opened === undefined;
  });
  if (ended !== undefined)
    return ended.start === null && opened !== undefined ? { ...ended, start: opened.start } : ended;
  if (opened === undefined) return undefined;
  return { taskName, runId, action: 'run', end: null, runtime: null, ...opened };
}
