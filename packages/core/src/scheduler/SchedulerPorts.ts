import type { Calendar } from '../time/Calendar';
import type { Clock } from '../time/Clock';
import type { Executor } from '../execution/Executor';
import type { ResolutionHost } from '../params/ResolutionHost';
import type { CustomConditionDefinition } from './checks/CustomConditionDefinition';
import type { EventSink } from './events/EventSink';
import type { Leadership } from './cluster/Leadership';
import type { RequestRelay } from './cluster/RequestRelay';
import type { RunHistory } from './backfill/RunHistory';
import type { RunLauncherPorts } from './launch/RunLauncherPorts';
import type { RunRecorder } from './recording/RunRecorder';
import type { ScheduledTask } from './task/ScheduledTask';
import type { StartFence } from './launch/StartFence';
import type { TaskStates } from './task/TaskStates';

/** The registered tasks, read when the scheduler starts and stops. */
export interface TaskSource {
  readonly tasks: readonly ScheduledTask[];
  /** Takes the task out of the session (`task.remove()`); false when it was not in it. */
  remove(task: ScheduledTask): boolean;
}

/** What the scheduler is built from: the app's parts and the ports it can be given. */
export interface SchedulerPorts {
  readonly tasks: TaskSource;
  /** What conditions read about tasks; the recorder keeps it up to date. */
  readonly state: TaskStates;
  readonly recorder: RunRecorder;
  readonly events: EventSink;
  /** Where runs and custom conditions resolve their parameters. */
  readonly host: ResolutionHost;
  readonly customs: ReadonlyMap<string, CustomConditionDefinition>;
  readonly clock: Clock;
  readonly calendar: Calendar;
  /** Where runs execute. */
  readonly executor: Executor;
  /** Default: always the leader. */
  readonly leadership?: Leadership;
  /** Asked before every start (see {@link StartFence}). Default: every start allowed. */
  readonly fence?: StartFence;
  /** Told of each run's start and end (see `Instrumentation`). Default: none. */
  readonly instruments?: RunLauncherPorts['instruments'];
  /** Carries requests made on a replica that does not lead to the leader. Default: none. */
  readonly relay?: RequestRelay;
  /** The run log and the records this process learns of, for backfills. Default: none. */
  readonly history?: RunHistory;
  /** Terminate live runs at shutdown instead of waiting for them. */
  readonly instantShutdown?: boolean;
  /** Block the event loop through the last milliseconds before a due instant (see `AppConfig.preciseTiming`). */
  readonly preciseTiming?: boolean;
  /** Time limit of one condition check, ms (see `AppConfig.conditionTimeout`). */
  readonly conditionTimeout?: number;
  /** Least ms between two runs a start condition starts (see `AppConfig.minRunGap`). */
  readonly minRunGap?: number;
  /** Where jitter delays are drawn, a number in [0, 1). Default `Math.random`. */
  readonly random?: () => number;
  /** A run ended, recorded and emitted (`pauseAfterFailures` counts them). */
  readonly runEnded?: RunLauncherPorts['runEnded'];
  /** Keeps what runs write (see `RunLauncherPorts.output`). */
  readonly output?: RunLauncherPorts['output'];
  /** Where warnings go (the app's logger); default `process.emitWarning`. */
  readonly warn?: RunLauncherPorts['warn'];
  /** `task.disabled` changed through the public API (see `RunLog.setDisabled`). */
  readonly disabledChanged?: (task: ScheduledTask, disabled: boolean) => void;
}
