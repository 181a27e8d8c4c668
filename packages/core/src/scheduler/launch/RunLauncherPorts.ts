import type { Executor } from '../../execution/Executor';
import type { Instruments } from '../../execution/instrumentation/Instruments';
import type { RunHandle } from '../../execution/RunHandle';
import type { RunAction } from '../../conditions/runActions';
import type { ResolutionHost } from '../../params/ResolutionHost';
import type { Clock } from '../../time/Clock';
import type { Warning } from '../../logging/FoldedWarnings';
import type { RunOutput } from '../../output/RunOutput';
import type { EventSink } from '../events/EventSink';
import type { RunRecorder } from '../recording/RunRecorder';
import type { StartFence } from './StartFence';
import type { ScheduledTask } from '../task/ScheduledTask';

/** What the launcher needs to run tasks and record their runs. */
export interface RunLauncherPorts {
  readonly clock: Clock;
  readonly executor: Executor;
  readonly recorder: RunRecorder;
  readonly events: EventSink;
  /** Where runs resolve their parameters. */
  readonly host: ResolutionHost;
  /**
   * A run of `task` ended with `action`, recorded and emitted (`pauseAfterFailures` counts them,
   * the app logs failures); `error` is its error or termination reason.
   */
  readonly runEnded?: (task: ScheduledTask, action: RunAction, run: RunHandle, error?: unknown) => void;
  /** Keeps what runs write (`RunHandle.write`); default: their output is dropped. */
  readonly output?: RunOutput;
  /** Where warnings go (the app's logger); default `process.emitWarning`. */
  readonly warn?: (warning: Warning) => void;
  /** Asked before each start; default: every start allowed. */
  readonly fence?: StartFence;
  /** Told of each run's start and end (tracing, metrics); default: none. */
  readonly instruments?: Instruments;
}
