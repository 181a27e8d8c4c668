import type { Subject } from 'rxjs';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import type { ExecutorByKind } from '../execution/ExecutorByKind';
import type { InstrumentedApp } from '../execution/instrumentation/Instrumentation';
import { Instruments } from '../execution/instrumentation/Instruments';
import { MemoryRunLog } from '../log/MemoryRunLog';
import type { RunLog } from '../log/RunLog';
import { TaskStateIndex } from '../log/TaskStateIndex';
import { AppLog } from '../logging/AppLog';
import { consoleLogger } from '../logging/consoleLogger';
import { levelledLogger } from '../logging/levelledLogger';
import { LoggedEventSink } from '../logging/LoggedEventSink';
import { RunOutput } from '../output/RunOutput';
import type { CustomConditionDefinition } from '../scheduler/checks/CustomConditionDefinition';
import { alwaysLeader } from '../scheduler/cluster/Leadership';
import type { EventSink } from '../scheduler/events/EventSink';
import type { SchedulerEvent } from '../scheduler/events/SchedulerEvent';
import { SubjectEventSink } from '../scheduler/events/SubjectEventSink';
import { FailurePause } from '../scheduler/launch/FailurePause';
import { DEFAULT_MIN_RUN_GAP } from '../scheduler/launch/StartPolicy';
import { LogRecorder } from '../scheduler/recording/LogRecorder';
import type { Scheduler } from '../scheduler/Scheduler';
import { calendarFor, type Calendar } from '../time/Calendar';
import { systemClock, type Clock } from '../time/Clock';
import { toMilliseconds } from '../time/Duration';
import type { AppConfig, ApogeeWarning } from './AppConfig';
import type { AppOptions } from './AppOptions';
import { buildExecutor } from './buildExecutor';
import { buildScheduler } from './buildScheduler';
import { ContainerInstanceProvider } from './instances/ContainerInstanceProvider';
import { LeadershipGate } from './LeadershipGate';
import { ParamConditions } from './ParamConditions';
import { Registration } from './registration/Registration';
import { SessionState } from './SessionState';
import { setupWarner } from './setupWarner';
import { StateRestore } from './StateRestore';
import { validateConfig } from './validateConfig';

/** The parts every app is built from, before it runs anything. */
export interface AppBase {
  readonly config: AppConfig;
  /** The container classes are built in: `options.container`, or a child of tsyringe's root container. */
  readonly container: DependencyContainer;
  /** Every run record (`options.log`, or one in memory). */
  readonly logs: RunLog;
  /** Where scheduler events go out (`app.events`). */
  readonly subject: Subject<SchedulerEvent>;
  /** The same events, logged as they go out. */
  readonly events: EventSink;
  /** What conditions read about tasks; the recorder keeps it up to date. */
  readonly state: TaskStateIndex;
  readonly clock: Clock;
  /** Apogee's own log lines (`config.logger`). */
  readonly log: AppLog;
  /** A warning about the app's setup: to `config.onWarning`, else a line through the logger. */
  readonly warnSetup: (warning: ApogeeWarning) => void;
  readonly leadership: LeadershipGate;
  /** The app's calendar (`config.timezone`). */
  readonly calendar: Calendar;
  /** What runs write, bounded and stored with them. */
  readonly output: RunOutput;
  readonly failurePause: FailurePause;
  readonly minRunGap: number;
  readonly sessionState: SessionState;
  readonly customs: Map<string, CustomConditionDefinition>;
  readonly paramConditions: ParamConditions;
}

/** An app's parts: its base, and what runs tasks, records them and registers them. */
export interface AppParts extends AppBase {
  readonly executor: ExecutorByKind;
  readonly restorer: StateRestore;
  /** Writes records to the log; keeps the last append that failed, for `status`. */
  readonly recorder: LogRecorder;
  /** Tracing and metrics told of each run (`options.instrumentation`, `instrument()`). */
  readonly instruments: Instruments;
  readonly scheduler: Scheduler;
  readonly registration: Registration;
}

/** Builds an app's parts from its options, each from those it needs. */
export function assembleApp(
  options: AppOptions,
  subject: Subject<SchedulerEvent>,
  app: InstrumentedApp,
): AppParts {
  const base = assembleBase(options, subject);
  const { config, logs, state, sessionState, clock, log, leadership } = base;
  const executor = buildExecutor(config, sessionState, options.queue, {
    container: base.container,
    // The gate, not the lease itself: runs are adopted once the state is restored.
    leadership: options.leadership === undefined ? undefined : leadership,
    fence: options.fence,
    logger: log.logger,
  });
  const restorer = new StateRestore({
    logs,
    state,
    session: sessionState,
    live: executor,
    calendar: base.calendar,
    clock,
    timezone: config.timezone,
  });
  const recorder = new LogRecorder(state, logs, sessionState);
  recorder.warnings.useLogger(log.logger);
  const instruments = new Instruments(
    app,
    (taskName, message) => {
      base.warnSetup({ code: 'APOGEE_INSTRUMENTATION', taskName, message });
    },
    options.queue?.messaging,
  );
  const scheduler = buildScheduler(options, { ...base, executor, recorder, instruments });
  const registration = new Registration({
    config,
    hasQueue: options.queue !== undefined,
    instances: options.instances ?? new ContainerInstanceProvider(base.container),
    customs: base.customs,
    taskOwner: (name) => sessionState.findTask(name)?.definition.owner,
    taskNames: () => sessionState.taskNames(),
  });
  return { ...base, executor, restorer, recorder, instruments, scheduler, registration };
}

/** The parts that log, keep state and tell events, which the rest are built on. */
function assembleBase(options: AppOptions, subject: Subject<SchedulerEvent>): AppBase {
  const config = options.config ?? {};
  const container = options.container ?? rootContainer.createChildContainer();
  const logs: RunLog = options.log ?? new MemoryRunLog();
  validateConfig(config);
  const clock = options.clock ?? systemClock;
  const log = new AppLog(
    levelledLogger(config.logger ?? consoleLogger, config.logLevel ?? 'info'),
    options.leadership !== undefined,
    () => clock.now(),
  );
  // A store shared with other parts (a Redis node) warns through this app's logger from now on.
  logs.useLogger?.(log.logger);
  const events = new LoggedEventSink(new SubjectEventSink(subject), log);
  const state = new TaskStateIndex();
  const customs = new Map<string, CustomConditionDefinition>();
  return {
    config,
    container,
    logs,
    subject,
    events,
    state,
    clock,
    log,
    warnSetup: setupWarner(config, log),
    leadership: new LeadershipGate(options.leadership ?? alwaysLeader, events, clock, log.warn),
    calendar: calendarFor(config.timezone),
    output: new RunOutput({
      log: logs,
      events,
      warn: log.warn,
      ...(config.runOutput === undefined ? {} : { limits: config.runOutput }),
    }),
    failurePause: new FailurePause(state, events, clock),
    minRunGap:
      config.minRunGap === undefined
        ? DEFAULT_MIN_RUN_GAP
        : toMilliseconds(config.minRunGap, 'config.minRunGap'),
    sessionState: new SessionState(container, options.argv ?? process.argv, options.env ?? process.env),
    customs,
    paramConditions: new ParamConditions(customs),
  };
}
