import { RUN_ACTIONS, type RunAction } from '../conditions/runActions';
import type { RunContextCarrier } from '../execution/instrumentation/Instrumentation';
import { readCarrier } from '../execution/instrumentation/readCarrier';
import type { WireError } from '../execution/remote/wireError';
import { OUTPUT_LEVELS, type PersistedOutputLine } from '../log/PersistedOutputLine';
import type { OutputLevel } from '../log/OutputLine';
import type { StoredRecord } from '../log/StoredRecord';
import type { RelayedRequest } from '../scheduler/cluster/RequestRelay';
import {
  arrayOf,
  finite,
  jsonText,
  jsonValue,
  object,
  oneOf,
  optional,
  plainObject,
  recordOf,
  ShapeMismatch,
  text,
  whole,
  type Shape,
} from './Shape';
import { wireErrorShape } from './wireErrorShape';

/*
 * One shape per kind of value a shared store holds. Every read from a store goes through one of
 * these (see `readStored`); the scheduler's own writes are never checked, so validation costs
 * nothing per run on the leader's path.
 */

const optionalText = optional(text);
const optionalFinite = optional(finite);
const action = oneOf<RunAction>(RUN_ACTIONS);

const recordFields = (json: Shape<string | undefined>) =>
  object<StoredRecord>({
    taskName: text,
    action,
    created: finite,
    runId: text,
    start: optionalFinite,
    end: optionalFinite,
    runtime: optionalFinite,
    errorMessage: optionalText,
    errorStack: optionalText,
    returnValue: json,
    returnSignature: optionalText,
    scheduledAt: optionalFinite,
    parameters: json,
  });

/** A run record as stored (see `encodeRecord`), its return value and parameters valid JSON. */
export const storedRecordShape: Shape<StoredRecord> = recordFields(optional(jsonText));

/**
 * The same, the JSON fields left as text: for `readRunRecord`, which parses them once while it
 * decodes (checking them here would parse them twice).
 */
export const storedRecordTextShape: Shape<StoredRecord> = recordFields(optionalText);

/** A line of run output as a shared log keeps it (see `encodeOutputLine`); its fields a JSON object. */
export const persistedOutputLineShape: Shape<PersistedOutputLine> = object<PersistedOutputLine>({
  at: finite,
  level: oneOf(OUTPUT_LEVELS),
  message: text,
  // A JSON object: parsed again after jsonText checked it, on reads from a store only.
  fields: optional((value, at) => {
    const raw = jsonText(value, at);
    plainObject(JSON.parse(raw), at);
    return raw;
  }),
});

/** A task's state as a shared log keeps it beside its records, folded from them as they are stored. */
export interface StoredTaskState {
  readonly status?: RunAction | undefined;
  /** When each action last happened (ms) and the sequence number of its record. */
  readonly last: Partial<Record<RunAction, { readonly at: number; readonly sequence: number }>>;
  readonly consecutiveFails: number;
  /** JSON of the last successful return value, copied from its record. */
  readonly returnValue?: string | undefined;
  /** The record's `returnSignature`, copied with it. */
  readonly returnSignature?: string | undefined;
}

export const taskStateShape: Shape<StoredTaskState> = object<StoredTaskState>({
  status: optional(action),
  last: recordOf(action, object({ at: finite, sequence: whole })),
  consecutiveFails: whole,
  returnValue: optional(jsonText),
  returnSignature: optionalText,
});

/** A request on its way to the leader, with the HMAC of the rest when the app has a `secret`. */
export type StoredRelayEntry = RelayedRequest & { readonly signature?: string | undefined };

export const relayEntryShape: Shape<StoredRelayEntry> = (value, at) => {
  const source = plainObject(value, at);
  const signature = optionalText(source.signature, `${at}.signature`);
  const signed = signature === undefined ? {} : { signature };
  const kind = oneOf(['run', 'terminate', 'emission'] as const)(source.kind, `${at}.kind`);
  const taskName = text(source.taskName, `${at}.taskName`);
  if (kind === 'terminate') return { kind, taskName, ...signed };
  if (kind === 'emission')
    return {
      kind,
      taskName,
      index: whole(source.index, `${at}.index`),
      value: jsonValue(source.value, `${at}.value`),
      ...signed,
    };
  const params = plainObject(jsonValue(source.params, `${at}.params`), `${at}.params`);
  const runId = text(source.runId, `${at}.runId`);
  // A backfill's run carries the instant it is for; a plain `task.run()` has none.
  const scheduledAt = optionalFinite(source.scheduledAt, `${at}.scheduledAt`);
  const due = scheduledAt === undefined ? {} : { scheduledAt };
  return { kind, taskName, params, runId, ...due, ...signed };
};

/** A queue run as a job's data: JSON only, with the HMAC of the rest when the app has a `secret`. */
export interface StoredQueueJob {
  readonly taskName: string;
  readonly runId: string;
  /** Arguments by position, resolved by the leader (see `PreparedRun`); the worker fills in the `executing` ones. */
  readonly args: readonly unknown[];
  readonly executing: readonly number[];
  readonly signature?: string | undefined;
  /**
   * The run's trace context (`RunObserver.carrier`), for the worker to run the task inside. Not
   * signed: it never changes what runs, and one that is not a carrier is dropped, not refused.
   */
  readonly trace?: RunContextCarrier | undefined;
}

export const queueJobShape: Shape<StoredQueueJob> = object<StoredQueueJob>({
  taskName: text,
  runId: text,
  args: arrayOf(jsonValue),
  executing: arrayOf(whole),
  signature: optionalText,
  trace: readCarrier,
});

/** What a queue's cancel channel carries: abort this job's run wherever it executes. */
export interface StoredCancel {
  readonly jobId: string;
  readonly reason: WireError;
}

export const cancelShape: Shape<StoredCancel> = object<StoredCancel>({ jobId: text, reason: wireErrorShape });

/**
 * How a queue run ended, as its job's return value. Failures are results too, not job failures:
 * an error's name, code and stack survive only as data.
 */
export type StoredQueueResult =
  | { readonly type: 'success'; readonly returnValue: unknown }
  | { readonly type: 'fail' | 'inaction'; readonly error: WireError };

export const queueResultShape: Shape<StoredQueueResult> = (value, at) => {
  const source = plainObject(value, at);
  const type = oneOf(['success', 'fail', 'inaction'] as const)(source.type, `${at}.type`);
  // A task that returned nothing: the field is absent.
  if (type === 'success')
    return { type, returnValue: optional(jsonValue)(source.returnValue, `${at}.returnValue`) };
  return { type, error: wireErrorShape(source.error, `${at}.error`) };
};

/** A line of a queue run's output as it travels (its instant in ms since the epoch). */
export interface StoredOutputLine {
  readonly at: number;
  readonly level: OutputLevel;
  readonly message: string;
  readonly fields?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * What a queue's update channel carries while a run executes on a worker: its progress (already
 * checked there) or a line of its output, for the leader following its job.
 */
export type StoredRunUpdate =
  | {
      readonly jobId: string;
      readonly type: 'progress';
      readonly fraction: number;
      readonly message?: string;
    }
  | { readonly jobId: string; readonly type: 'output'; readonly line: StoredOutputLine };

const outputLineShape: Shape<StoredOutputLine> = (value, at) => {
  const source = plainObject(value, at);
  const fields =
    source.fields === undefined
      ? {}
      : { fields: plainObject(jsonValue(source.fields, `${at}.fields`), `${at}.fields`) };
  return {
    at: finite(source.at, `${at}.at`),
    level: oneOf<OutputLevel>(['debug', 'info', 'warn', 'error'])(source.level, `${at}.level`),
    message: text(source.message, `${at}.message`),
    ...fields,
  };
};

export const runUpdateShape: Shape<StoredRunUpdate> = (value, at) => {
  const source = plainObject(value, at);
  const jobId = text(source.jobId, `${at}.jobId`);
  const type = oneOf(['progress', 'output'] as const)(source.type, `${at}.type`);
  if (type === 'output') return { jobId, type, line: outputLineShape(source.line, `${at}.line`) };
  const fraction = finite(source.fraction, `${at}.fraction`);
  if (fraction < 0 || fraction > 1)
    throw new ShapeMismatch(`${at}.fraction`, 'is not a fraction from 0 to 1');
  const message = optionalText(source.message, `${at}.message`);
  return message === undefined ? { jobId, type, fraction } : { jobId, type, fraction, message };
};
