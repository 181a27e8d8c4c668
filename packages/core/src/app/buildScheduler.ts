import type { ExecutorByKind } from '../execution/ExecutorByKind';
import type { Instruments } from '../execution/instrumentation/Instruments';
import { MemoryRunLog } from '../log/MemoryRunLog';
import type { RunLog } from '../log/RunLog';
import type { TaskStateIndex } from '../log/TaskStateIndex';
import type { AppLog } from '../logging/AppLog';
import type { RunOutput } from '../output/RunOutput';
import type { RunHistory } from '../scheduler/backfill/RunHistory';
import type { CustomConditionDefinition } from '../scheduler/checks/CustomConditionDefinition';
import type { EventSink } from '../scheduler/events/EventSink';
import type { FailurePause } from '../scheduler/launch/FailurePause';
import type { LogRecorder } from '../scheduler/recording/LogRecorder';
import { Scheduler } from '../scheduler/Scheduler';
import type { Calendar } from '../time/Calendar';
import type { Clock } from '../time/Clock';
import { toMilliseconds } from '../time/Duration';
import type { AppConfig, ApogeeWarning } from './AppConfig';
import type { AppOptions } from './AppOptions';
import type { LeadershipGate } from './LeadershipGate';
import type { SessionState } from './SessionState';
import { storeDisabled } from './storeDisabled';

/** The app's parts a scheduler is wired to. */
export interface SchedulerWiring {
  readonly config: AppConfig;
  readonly sessionState: SessionState;
  readonly state: TaskStateIndex;
  readonly recorder: LogRecorder;
  readonly events: EventSink;
  readonly customs: ReadonlyMap<string, CustomConditionDefinition>;
  readonly clock: Clock;
  readonly calendar: Calendar;
  readonly executor: ExecutorByKind;
  readonly leadership: LeadershipGate;
  readonly minRunGap: number;
  readonly log: AppLog;
  readonly failurePause: FailurePause;
  readonly logs: RunLog;
  readonly output: RunOutput;
  readonly instruments: Instruments;
  readonly warnSetup: (warning: ApogeeWarning) => void;
}

/** The scheduler and the ports it reaches the app's parts through. */
export function buildScheduler(options: AppOptions, parts: SchedulerWiring): Scheduler {
  const { config, log, failurePause, logs } = parts;
  return new Scheduler({
    tasks: parts.sessionState,
    state: parts.state,
    recorder: parts.recorder,
    events: parts.events,
    host: parts.sessionState,
    customs: parts.customs,
    clock: parts.clock,
    calendar: parts.calendar,
    executor: parts.executor,
    instantShutdown: config.instantShutdown ?? false,
    preciseTiming: config.preciseTiming ?? false,
    ...(config.conditionTimeout === undefined
      ? {}
      : { conditionTimeout: toMilliseconds(config.conditionTimeout, 'config.conditionTimeout') }),
    leadership: parts.leadership,
    minRunGap: parts.minRunGap,
    ...(options.random === undefined ? {} : { random: options.random }),
    runEnded: (task, action, run, error) => {
      log.runEnded(task.name, run.runId, action, error);
      failurePause.ended(task, action);
    },
    disabledChanged: (task, disabled) => {
      if (!disabled) failurePause.enabled(task.name);
      storeDisabled(logs, task.name, disabled, log.warn);
    },
    output: parts.output,
    warn: log.warn,
    history: runHistory(parts),
    ...(options.fence === undefined ? {} : { fence: options.fence }),
    instruments: parts.instruments,
    ...(options.relay === undefined ? {} : { relay: options.relay }),
  });
}

/** What a backfill reads of past runs: the log, new records as they come, and how much it keeps. */
function runHistory(parts: Pick<SchedulerWiring, 'logs' | 'state' | 'warnSetup'>): RunHistory {
  const { logs, state, warnSetup } = parts;
  return {
    records: (query) => logs.records(query),
    listen: (l) => state.listen(l),
    ...(logs instanceof MemoryRunLog ? { recordsPerTask: logs.perTask } : {}),
    warn: (warning) => {
      warnSetup(warning);
    },
  };
}
