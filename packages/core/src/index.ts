/// <reference types="node" preserve="true" />
// Declarations use Node's types: this pulls @types/node in where "types" does not list it (TypeScript 6+).
/**
 * The public API of `@apogee/core`: what an application needs to declare tasks, conditions and
 * parameters, run them and read their history. Every name here is pinned by the API report in
 * `packages/core/etc/core.api.md`; engine parts that the sibling packages share live in
 * `./internal` instead.
 *
 * @packageDocumentation
 */
import 'reflect-metadata';

// App
export { App } from './app/App';
export type {
  AppOptions,
  FunctionCondOptions,
  FunctionParamOptions,
  FunctionTaskOptions,
  RunOptions,
} from './app/App';
export type { AppConfig, ApogeeWarning } from './app/AppConfig';
export type { QueueExecution, QueueMessaging } from './app/QueueExecution';
export type { Constructor } from './app/registration/Constructor';
export type { TaskFunction } from './app/registration/FunctionOptions';
export type { InstanceProvider } from './app/instances/InstanceProvider';
export { ContainerInstanceProvider } from './app/instances/ContainerInstanceProvider';
// Session and ScheduledTask are made by the App, never by users: exported as types only, to name
// what app.session, app.task and @CurrentTask() give.
export type { Session } from './app/Session';

// Scheduler
export type { ScheduledTask } from './scheduler/task/ScheduledTask';
export type { BackfillOptions, BackfillReport } from './scheduler/backfill/BackfillRange';
export type { SchedulerEvent, SchedulerEventType } from './scheduler/events/SchedulerEvent';
export type { LiveRun, RunProgress } from './execution/LiveRun';
export type {
  Instrumentation,
  InstrumentedApp,
  InstrumentedRunBegin,
  InstrumentedRunEnd,
  InstrumentedRunStart,
  RunContextCarrier,
  RunEndAction,
  RunObserver,
  WorkerContextModule,
} from './execution/instrumentation/Instrumentation';
export { TaskInaction } from './execution/TaskInaction';
export type { Leadership } from './scheduler/cluster/Leadership';
export type { AppStatus, ClusterRole } from './app/AppStatus';
export type { StoreFailure } from './store/StoreFailure';
export { ManualLeadership } from './scheduler/cluster/ManualLeadership';
export { openFence } from './scheduler/launch/StartFence';
export type { StartClaim, StartFence, StartKind } from './scheduler/launch/StartFence';
export type { RelayedRequest, RequestRelay } from './scheduler/cluster/RequestRelay';

// Decorators (also usable as injection descriptors)
export { Task } from './decorators/Task';
export type { TaskDecorator } from './decorators/Task';
export { Cond } from './decorators/Cond';
export { Param } from './decorators/Param';
export { Arg } from './decorators/Arg';
export { Return } from './decorators/Return';
export { Env } from './decorators/Env';
export { Cli } from './decorators/Cli';
export { CurrentTask } from './decorators/CurrentTask';
export { CurrentSession } from './decorators/CurrentSession';
export { Signal } from './decorators/Signal';
export { ScheduledAt } from './decorators/ScheduledAt';
export { Progress } from './decorators/Progress';
export { RunLogger } from './decorators/RunLogger';
export type { RunLoggerFn, RunLogMethod } from './log/RunLoggerFn';
export type { OutputLine, OutputLevel } from './log/OutputLine';
export { Inject } from './decorators/Inject';
export type { TaskOptions, Execution, Overlap, Catchup } from './metadata/TaskOptions';

// Parameters and arguments
export { PARAMETER_LEVELS } from './params/levels';
export type { ParameterLevel, Parameters } from './params/levels';
export { Argument } from './params/Argument';
export type { ArgumentScope } from './params/ArgumentScope';
export type { ArgumentPlacement } from './params/ArgumentPlacement';
export type { RunContext } from './params/RunContext';
export { SimpleArg } from './params/SimpleArg';
export { SessionArg } from './params/SessionArg';
export { FuncArg } from './params/FuncArg';
export type { FuncArgOptions } from './params/FuncArg';
export { ReturnArg } from './params/ReturnArg';
export { EnvArg } from './params/EnvArg';
export { CliArg } from './params/CliArg';
export { TaskArg } from './params/TaskArg';
export { SessionRefArg } from './params/SessionRefArg';
export { Private } from './params/Private';
export type { DefaultOption } from './params/defaults';
export type { Injection, InjectionDecorator } from './params/Injection';
export type { ProviderCache } from './params/ProviderArg';

// Conditions
export { Condition, all, any, not } from './conditions/Condition';
export type { Explanation } from './conditions/Explanation';
// What a condition is evaluated against and answers: named by `Condition.evaluate`, which the
// scheduler calls; exported as types only, so a condition's signature reads in full.
export type { Evaluation, MaybeEvaluation } from './conditions/Condition';
export type { ConditionContext, CronSchedule, TaskStateView } from './conditions/ConditionContext';
export type { Calendar, WallTime } from './time/Calendar';
export type { Occurrence, PeriodOffset, PeriodUnit, TimePeriod } from './conditions/time/TimePeriod';
export { always, never } from './conditions/constants';
export {
  secondly,
  minutely,
  hourly,
  daily,
  weekly,
  monthly,
  type PeriodCondition,
} from './conditions/time/PeriodCondition';
export {
  timeOfSecond,
  timeOfMinute,
  timeOfHour,
  timeOfDay,
  timeOfWeek,
  timeOfMonth,
  type WindowCondition,
  type WindowBuilder,
} from './conditions/time/WindowCondition';
export { every } from './conditions/time/every';
export { cron } from './conditions/time/cron';
export {
  afterSuccess,
  afterFail,
  afterFinish,
  afterAllSuccess,
  afterAnySuccess,
  afterAllFail,
  afterAnyFail,
  afterAllFinish,
  afterAnyFinish,
} from './conditions/task/afterSuccess';
export {
  started,
  succeeded,
  failed,
  finished,
  type StatusCondition,
  type StatusInPeriod,
} from './conditions/task/StatusCondition';
export type { StatusKind, StatusWindow } from './conditions/task/StatusCondition';
export { running } from './conditions/task/running';
export { retry } from './conditions/task/retry';
export { schedulerRunning } from './conditions/session/schedulerRunning';
export type { SchedulerRunningOptions } from './conditions/session/schedulerRunning';
export { schedulerCycles } from './conditions/session/schedulerCycles';
export type { SchedulerCyclesOptions } from './conditions/session/schedulerCycles';
export { cond } from './conditions/custom/CustomCondition';
export { when } from './conditions/custom/when';
export { fromParam, type FromParamCondition } from './conditions/session/fromParam';

// Run log
export { MemoryRunLog } from './log/MemoryRunLog';
export type { MemoryRunLogOptions } from './log/MemoryRunLog';
export type { RestoredTask, RestoreOptions, RunLog } from './log/RunLog';
export type { RunLogWithOutput } from './log/withRunOutput';
export { RUN_ACTIONS } from './conditions/runActions';
export type { RunAction } from './conditions/runActions';
export type { RunRecord, RunQuery } from './log/RunRecord';
export type { RunCursor } from './log/RunCursor';
export { cursorOf } from './log/RunCursor';
export type { OutputLimits } from './output/OutputLimits';

// Apogee's own logging (config.logger)
export type { ApogeeLogger, LogLevel } from './logging/ApogeeLogger';

// Time
export type { Duration, TimeUnit } from './time/Duration';
export type { Clock } from './time/Clock';
export type { ConditionSite } from './errors/ConditionSyntaxError';

// Errors
export { ApogeeError } from './errors/ApogeeError';
export type { ApogeeErrorFields } from './errors/ApogeeError';
export { MissingParameterError } from './errors/MissingParameterError';
export type { ParameterSite } from './errors/MissingParameterError';
export { ParameterCycleError } from './errors/ParameterCycleError';
export { ParameterProviderError } from './errors/ParameterProviderError';
export { ParameterResolutionError } from './errors/ParameterResolutionError';
export { UnknownTaskError } from './errors/UnknownTaskError';
export { UnknownConditionError } from './errors/UnknownConditionError';
export { DuplicateTaskError } from './errors/DuplicateTaskError';
export { ConditionSyntaxError } from './errors/ConditionSyntaxError';
export { DecoratorUsageError } from './errors/DecoratorUsageError';
export { TaskTimeoutError } from './errors/TaskTimeoutError';
export { QueueFullError } from './errors/QueueFullError';
export { RecordRefusedError } from './errors/RecordRefusedError';
export { ConditionTimeoutError } from './errors/ConditionTimeoutError';
export { SerializationError } from './errors/SerializationError';
export type { Destination } from './errors/SerializationError';
export { WorkerCrashError } from './errors/WorkerCrashError';
export type { WorkerExit } from './errors/WorkerCrashError';
export { ConfigurationError } from './errors/ConfigurationError';
export { InstantiationError } from './errors/InstantiationError';
export { NoValueError } from './errors/NoValueError';
