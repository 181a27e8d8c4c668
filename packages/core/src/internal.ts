/// <reference types="node" preserve="true" />
// Declarations use Node's types: this pulls @types/node in where "types" does not list it (TypeScript 6+).
/**
 * `@apogee/core/internal`: engine parts shared by Apogee's own packages (`@apogee/sqlite`,
 * `@apogee/http`, `@apogee/cli`), its test utilities and its benchmarks. Not for applications:
 * these names may change in any release, without notice in the public API report.
 *
 * Kept apart from the public barrel so that a user's editor never offers a mutable state index
 * or a resolution scope, while a sibling package can still implement a run log or print an error
 * the way core does. The surface is pinned too, in `packages/core/etc/core-internal.api.md`,
 * so that a change shows in review.
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

// Errors: the message of anything thrown, and the "Did you mean" list of unknown-name errors.
export { errorMessage } from './errors/errorMessage';
export { closeNames } from './errors/closeNames';

// Loading a user's code: the TypeScript hook that emits decorator metadata (`apogee run`), and
// which TypeScript files Node treats as ES modules.
export { registerTypeScriptHook } from './execution/remote/typescriptHook';
export {
  compileTypeScript,
  typescriptSpecifier,
  type ModuleFormat,
} from './execution/remote/compileTypeScript';
export { isModuleTypeScript } from './execution/remote/workerExecArgv';

// Run records: what each action means for a run and for the failure streak.
export { RUN_ACTIONS, isRunAction, endsRun, resetsFailures } from './conditions/runActions';

// Persistent logs (SQLite, Redis): one stored form of a record, so every log gives the same back.
export { encodeRecord, decodeRecord, toJson } from './log/StoredRecord';
export type { StoredRecord } from './log/StoredRecord';

// Reading a shared store (Redis, PostgreSQL): one shape per kind of value, checked on every read
// and never on the scheduler's own writes; rate-limited warnings naming the key of a skipped value;
// the HMAC of relayed requests, queue jobs and return values when the app has a `secret`.
export { readStored, readStoredValue, readRunRecord, readRunRecordValue } from './store/readStored';
export type { Decoded } from './store/readStored';
export {
  storedRecordShape,
  taskStateShape,
  relayEntryShape,
  queueJobShape,
  queueResultShape,
  cancelShape,
  persistedOutputLineShape,
  runUpdateShape,
} from './store/storedShapes';
export type {
  StoredTaskState,
  StoredRelayEntry,
  StoredQueueJob,
  StoredQueueResult,
  StoredCancel,
  StoredRunUpdate,
  StoredOutputLine,
} from './store/storedShapes';
export { wireErrorShape, MAX_CAUSE_DEPTH } from './store/wireErrorShape';
export { ShapeMismatch, MAX_JSON_DEPTH, shapes } from './store/Shape';
export type { Shape } from './store/Shape';
export { StoreWarnings } from './store/StoreWarnings';
export { checkClockSkew, CLOCK_SKEW_LIMIT_MS } from './store/checkClockSkew';
export { RoundTrips } from './store/RoundTrips';
export { FoldedWarnings, processWarning, type Warning } from './logging/FoldedWarnings';
export { errorText } from './logging/errorText';
export {
  decodeOutputLine,
  encodeOutputLine,
  OUTPUT_LEVELS,
  type PersistedOutputLine,
} from './log/PersistedOutputLine';
export {
  storeSecrets,
  signStored,
  verifyStored,
  relayPayload,
  relayEntry,
  jobPayload,
  returnPayload,
} from './store/signStored';
export type { StoreSecret, SignedPurpose } from './store/signStored';

// `task.run()` that waits for the leader's store to take or refuse it (the control API's 429).
export { runAwaitingLeader } from './scheduler/cluster/runAwaitingLeader';

// Task state as the scheduler keeps it (conditions read it; tests and benches build it).
export { TaskStateIndex } from './log/TaskStateIndex';

// What a condition is evaluated against: tests build a context by hand to check one condition.
export type { Evaluation, MaybeEvaluation } from './conditions/Condition';
export type { ConditionContext, CronSchedule, TaskStateView } from './conditions/ConditionContext';

// Time: durations in milliseconds, and the calendar of a time zone.
export { toMilliseconds } from './time/Duration';
export { calendarFor } from './time/Calendar';
export type { Calendar, WallTime } from './time/Calendar';

// Public types that the signatures above use, so that this entry point is self-contained.
export type { RunAction } from './conditions/runActions';
export type { RestoredTask } from './log/RunLog';
export type { RunRecord } from './log/RunRecord';
export type { Parameters } from './params/levels';
export type { RelayedRequest } from './scheduler/cluster/RequestRelay';

// Integrations with an injector of their own (NestJS) find the classes to register with this.
export { declaredNames } from './app/registration/declaredNames';
export type { DeclaredNames } from './app/registration/declaredNames';
export type { Constructor } from './app/registration/Constructor';
export type { Execution } from './metadata/TaskOptions';

// Executors outside core (`@apogee/bullmq`'s queue): the port, a live run, where its arguments
// resolve, which parameters a worker fills in itself, and how errors travel as plain data.
export type { ExecutableTask, Executor, RoomListener, RunListener } from './execution/Executor';
export { queueExecution, createQueueExecutor } from './app/QueueExecution';
export type { QueueContext, QueueExecutorSpec } from './app/QueueExecution';
export type { RunOutcome } from './execution/runInProcess';
export type { RunHandle } from './execution/RunHandle';
export type { ResolutionScope } from './params/ResolutionScope';
export type { Signature } from './params/Signature';
export type { RunContext } from './params/RunContext';
export type { PreparedRun } from './execution/signature/PreparedRun';
export { prepareRun, type EncodeArgument } from './execution/signature/prepareRun';
export { fillRun } from './execution/signature/fillRun';
export { checkProgress } from './execution/checkProgress';
export type { OutputLine, OutputLevel } from './log/OutputLine';
export { toWireError, fromWireError } from './execution/remote/wireError';
export type { WireError } from './execution/remote/wireError';

// Types the parts above name in their signatures: re-exported so this entry's report has no
// forgotten export (the public ones are the same declarations `@apogee/core` exports).
export type { AdoptedRun, WorkerExitReport } from './execution/Executor';
export type { ApogeeLogger } from './logging/ApogeeLogger';
export type { Argument } from './params/Argument';
export type { ArgumentPlacement } from './params/ArgumentPlacement';
export type { ArgumentScope } from './params/ArgumentScope';
export type { Clock } from './time/Clock';
export type { Fields, arrayOf, object, oneOf, optional, plainObject, recordOf } from './store/Shape';
export type { Injection } from './params/Injection';
export type {
  InstrumentedRunEnd,
  RunContextCarrier,
  RunEndAction,
} from './execution/instrumentation/Instrumentation';
export type { RunObservation, WorkerRunContext } from './execution/instrumentation/Instruments';
export type { Leadership } from './scheduler/cluster/Leadership';
export type { Occurrence, PeriodOffset, PeriodUnit, TimePeriod } from './conditions/time/TimePeriod';
export type { ParameterSite } from './errors/MissingParameterError';
export type { QueueExecution, QueueMessaging } from './app/QueueExecution';
export type { ResolutionHost } from './params/ResolutionHost';
export type { RunControl } from './params/ResolutionScope';
export type { RunProgress } from './execution/LiveRun';
export type { SignatureSlot } from './params/Signature';
export type { StartClaim, StartFence, StartKind } from './scheduler/launch/StartFence';
export type { StatusWindow as LoggedStatusWindow } from './log/StatusWindows';
export type { StoreFailure } from './store/StoreFailure';
export type { TaskInaction } from './execution/TaskInaction';
export type { TaskTarget } from './execution/remote/protocol';
export type { WorkerExit } from './errors/WorkerCrashError';
