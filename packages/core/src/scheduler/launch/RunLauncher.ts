import { TaskTimeoutError } from '../../errors/TaskTimeoutError';
import type {
  AdoptedRun,
  Executor,
  RoomListener,
  RunListener,
  WorkerExitReport,
} from '../../execution/Executor';
import type { Instruments } from '../../execution/instrumentation/Instruments';
import { nextRunId } from '../../execution/nextRunId';
import { RunHandle } from '../../execution/RunHandle';
import type { LiveRun } from '../../execution/LiveRun';
import type { RunOutcome } from '../../execution/runInProcess';
import type { RunAction } from '../../conditions/runActions';
import type { Execution } from '../../metadata/TaskOptions';
import type { Parameters } from '../../params/levels';
import type { ResolutionHost } from '../../params/ResolutionHost';
import { ResolutionScope } from '../../params/ResolutionScope';
import { monotonicNow, type Clock } from '../../time/Clock';
import { processWarning, type Warning } from '../../logging/FoldedWarnings';
import type { RunOutput } from '../../output/RunOutput';
import type { EventSink } from '../events/EventSink';
import type { RunRecorder } from '../recording/RunRecorder';
import { openFence, type StartFence } from './StartFence';
import type { Batch, ScheduledTask } from '../task/ScheduledTask';
import type { WakeQueue } from '../loop/WakeQueue';

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

/** What the launcher tells the scheduler, which decides what to look at again. */
export interface LaunchContext {
  /** Look at `task` in the next pass (without requesting one). */
  lookAt(task: ScheduledTask): void;
  /** A run of `task` began or ended: the tasks that read its state are due for a look now. */
  touched(task: ScheduledTask): void;
  requestPass(): void;
}

type Ending = RunOutcome | { readonly action: 'terminate'; readonly error: unknown };

/**
 * Launches runs on the executor and records them: the start when a run begins, its end however
 * it ends (its outcome, a timeout, a termination). Owns the live runs. Timeouts share the
 * scheduler's wake queue, so there is no timer per run.
 */
export class RunLauncher implements RunListener, RoomListener {
  // ---- state ----
  /** Live runs per task: launched, not yet recorded as ended. */
  private readonly live = new Map<ScheduledTask, Set<RunHandle>>();
  /** The task of each live run. */
  private readonly taskOf = new Map<RunHandle, ScheduledTask>();
  /** Tasks that were due while their executor had no room: looked at again when it has. */
  private readonly awaitingRoom = new Set<ScheduledTask>();

  constructor(
    private readonly ports: RunLauncherPorts,
    /** Where run timeouts are due (the scheduler's wake queue). */
    private readonly wakes: Pick<WakeQueue<RunHandle>, 'set'>,
    private readonly context: LaunchContext,
  ) {
    ports.executor.listen(this);
  }

  /** Whether a run of `task` would begin at once; if not, the task is looked at again when it would. */
  canLaunch(task: ScheduledTask): boolean {
    if (this.ports.executor.hasRoom(task.definition)) return true;
    this.awaitingRoom.add(task);
    return false;
  }

  /** Live runs of `task`. */
  liveCount(task: ScheduledTask): number {
    return this.live.get(task)?.size ?? 0;
  }

  /** Tasks that have (or had) live runs. */
  liveTasks(): Iterable<ScheduledTask> {
    return this.live.keys();
  }

  /** Runs under way, oldest first, of `task` or of every task. */
  liveRuns(task?: ScheduledTask): LiveRun[] {
    const out: LiveRun[] = [];
    const add = (runs: Iterable<RunHandle>): void => {
      for (const run of runs) {
        const { progress } = run;
        out.push({
          taskName: run.taskName,
          runId: run.runId,
          started: run.startDate ?? new Date(run.start),
          ...(progress === undefined ? {} : { progress }),
        });
      }
    };
    if (task === undefined) for (const runs of this.live.values()) add(runs);
    else add(this.live.get(task) ?? []);
    return out.sort((a, b) => a.started.getTime() - b.started.getTime());
  }

  /** Resolves once every run live now has ended. */
  async drain(task?: ScheduledTask): Promise<void> {
    const live = task === undefined ? [...this.live.values()] : [this.live.get(task) ?? []];
    await Promise.all(live.flatMap((runs) => [...runs].map((r) => r.done)));
  }

  /**
   * Starts one run of `task`, with `batch`'s parameters and reserved run id when it has one.
   * `scheduledAt` is the instant it was due for (default: the batch's, or now).
   */
  launch(task: ScheduledTask, batch: Batch | undefined, scheduledAt?: number): RunHandle {
    const def = task.definition;
    const run = new RunHandle(task.name, batch?.runId ?? nextRunId(), this.ports.clock.now());
    run.scheduledAt = scheduledAt ?? batch?.scheduledAt;
    if (batch !== undefined && hasKeys(batch.params)) run.parameters = batch.params;
    this.track(task, run);
    run.onProgress = this.progressed;
    run.onOutput = this.ports.output?.write;
    const scope = new ResolutionScope(this.ports.host, task, task.name, batch?.params, def.parameters, run);
    // Start-up and shutdown tasks belong to each process: no fence holds them.
    const claim =
      def.onStartup || def.onShutdown
        ? true
        : (this.ports.fence ?? openFence).claim({
            taskName: task.name,
            runId: run.runId,
            kind: batch === undefined ? 'condition' : 'batch',
          });
    if (claim === true) this.dispatch(task, scope, run);
    else if (claim === false) this.drop(task, run);
    else {
      // The run counts as live while the fence answers, so the task does not start it twice.
      claim.then(
        (ok) => {
          if (!ok) this.drop(task, run);
          else if (!run.settled) this.dispatch(task, scope, run);
        },
        (error: unknown) => {
          (this.ports.warn ?? processWarning)({
            code: 'APOGEE_FENCE',
            cause: task.name,
            message: () =>
              `Apogee: the start fence failed for a run of task "${task.name}", which does not start: ${String(error)}`,
          });
          this.drop(task, run);
        },
      );
    }
    return run;
  }

  /**
   * Hands a claimed run to its executor. A `queue` run is observed from here, not from its start,
   * so that its trace context travels with its job (see `RunObserver.begun`).
   */
  private dispatch(task: ScheduledTask, scope: ResolutionScope, run: RunHandle): void {
    const def = task.definition;
    const { instruments, clock } = this.ports;
    if (def.execution === 'queue' && instruments?.active === true)
      run.observation = instruments.started(task.name, run.runId, def.execution, clock.now(), run.dueAt);
    this.ports.executor.execute(def, scope, run, this);
  }

  /**
   * A start the fence refused: the run never existed, nothing is recorded. The task is not looked
   * at again for it (that would ask again at once, forever): a refusal means another process owns
   * the schedule now, and gaining the leadership back looks at every task.
   */
  private drop(task: ScheduledTask, run: RunHandle): void {
    if (!run.settle()) return;
    run.refused = true;
    this.live.get(task)?.delete(run);
    this.taskOf.delete(run);
  }

  /** Terminates every live run of `task`. */
  terminate(task: ScheduledTask, reason: unknown): void {
    const runs = this.live.get(task);
    if (runs !== undefined) for (const run of [...runs]) this.terminateRun(task, run, reason);
  }

  /**
   * A run's timeout (from the wake queue) has come by the wall clock. It is measured on the
   * monotonic clock: after the wall clock stepped forward, the run gets the rest of its time.
   */
  timeOut(run: RunHandle): void {
    const task = this.taskOf.get(run);
    if (task === undefined) return;
    const { timeout } = task.definition;
    const { clock } = this.ports;
    const left = timeout - (monotonicNow(clock) - run.monotonicStart);
    // Under a millisecond left is time up: the wall clock cannot be armed for less.
    if (left >= 1) this.wakes.set(run, clock.now() + Math.ceil(left));
    else this.terminateRun(task, run, new TaskTimeoutError(task.name, timeout));
  }

  // ---- RoomListener ----

  roomFor(execution: Execution): void {
    for (const task of this.awaitingRoom) {
      if (task.definition.execution !== execution) continue;
      this.awaitingRoom.delete(task);
      this.context.lookAt(task);
    }
    this.context.requestPass();
  }

  /** Counts `run` among `task`'s live runs until it settles. */
  private track(task: ScheduledTask, run: RunHandle): void {
    let runs = this.live.get(task);
    if (runs === undefined) {
      runs = new Set();
      this.live.set(task, runs);
    }
    runs.add(run);
    this.taskOf.set(run, task);
  }

  adopt(taskName: string, runId: string, begunAt: number | undefined): AdoptedRun | undefined {
    const task = this.ports.host.findTask(taskName) as ScheduledTask | undefined;
    if (task === undefined) return undefined;
    for (const live of this.live.get(task) ?? []) if (live.runId === runId) return undefined;
    const { clock } = this.ports;
    const run = new RunHandle(task.name, runId, begunAt ?? clock.now());
    run.onOutput = this.ports.output?.write;
    this.track(task, run);
    if (begunAt !== undefined) {
      // Its start is on record already (the process that started it wrote it): only its clock is set.
      run.begun = true;
      run.startDate = new Date(begunAt);
      run.monotonicStart = monotonicNow(clock) - (clock.now() - begunAt);
      const def = task.definition;
      if (Number.isFinite(def.timeout) && !def.permanent) this.wakes.set(run, begunAt + def.timeout);
    }
    this.context.lookAt(task);
    this.context.touched(task);
    return { run, listener: this };
  }

  workerExited(report: WorkerExitReport): void {
    const { events, clock } = this.ports;
    events.notify({ type: 'workerExited', at: new Date(clock.now()), ...report });
  }

  // ---- RunListener ----

  /** Records a run's start and arms its timeout. */
  begun(run: RunHandle): void {
    const task = this.taskOf.get(run);
    if (task !== undefined) this.begin(task, run);
  }

  ended(run: RunHandle, outcome: RunOutcome): void {
    const task = this.taskOf.get(run);
    if (task !== undefined) this.finish(task, run, outcome);
  }

  // ---- recording ----

  private readonly progressed = (run: RunHandle): void => {
    const { events, clock } = this.ports;
    const progress = run.progress;
    if (!events.listening || progress === undefined) return;
    events.notify({
      type: 'taskProgress',
      taskName: run.taskName,
      runId: run.runId,
      at: new Date(clock.now()),
      ...progress,
    });
  };

  private begin(task: ScheduledTask, run: RunHandle): void {
    if (run.begun) return;
    run.begun = true;
    const def = task.definition;
    const { clock, recorder, events } = this.ports;
    const start = clock.now();
    run.start = start;
    run.monotonicStart = monotonicNow(clock);
    const at = new Date(start);
    run.startDate = at;
    recorder.record({
      taskName: task.name,
      action: 'run',
      created: at,
      runId: run.runId,
      start: at,
      ...scheduledAt(run),
      ...parameters(run),
    });
    const { instruments } = this.ports;
    if (run.observation !== undefined) run.observation.begun(start, run.dueAt);
    else if (instruments?.active === true)
      run.observation = instruments.started(task.name, run.runId, def.execution, start, run.dueAt);
    if (events.listening) events.notify({ type: 'taskStarted', taskName: task.name, runId: run.runId, at });
    this.context.touched(task);
    if (Number.isFinite(def.timeout) && !def.permanent) this.wakes.set(run, start + def.timeout);
  }

  private terminateRun(task: ScheduledTask, run: RunHandle, reason: unknown): void {
    if (run.settled) return;
    run.abort(reason);
    this.finish(task, run, { action: 'terminate', error: reason });
  }

  private finish(task: ScheduledTask, run: RunHandle, outcome: Ending): void {
    if (run.settled) return;
    // A run terminated while it waited for a worker is recorded as started and terminated at once.
    this.begin(task, run);
    run.settle();
    this.live.get(task)?.delete(run);
    this.taskOf.delete(run);
    this.wakes.set(run, Infinity);
    this.ports.output?.ended(run);
    const { clock, recorder, events } = this.ports;
    const end = clock.now();
    const at = new Date(end);
    const { runId } = run;
    const taskName = task.name;
    // The start Date of the 'run' record is shared: records are values, never mutated.
    const start = run.startDate ?? new Date(run.start);
    const runtime = end - run.start;
    const listening = events.listening;
    if (outcome.action === 'success') {
      const { returnValue } = outcome;
      recorder.record({
        taskName,
        action: 'success',
        created: at,
        runId,
        start,
        end: at,
        runtime,
        returnValue,
        ...scheduledAt(run),
        ...parameters(run),
      });
      recorder.setReturn(taskName, returnValue);
      if (listening) events.notify({ type: 'taskSucceeded', taskName, runId, at, returnValue });
    } else {
      const { action, error } = outcome;
      recorder.record({
        taskName,
        action,
        created: at,
        runId,
        start,
        end: at,
        runtime,
        error,
        ...scheduledAt(run),
        ...parameters(run),
      });
      if (listening) {
        if (action === 'fail' || action === 'crash')
          events.notify({ type: 'taskFailed', taskName, runId, at, error });
        else if (action === 'inaction') events.notify({ type: 'taskInacted', taskName, runId, at });
        else events.notify({ type: 'taskTerminated', taskName, runId, at, reason: error });
      }
    }
    run.observation?.ended({ action: outcome.action, error: ended(outcome), end: at, duration: runtime });
    this.ports.runEnded?.(
      task,
      outcome.action,
      run,
      outcome.action === 'success' ? undefined : outcome.error,
    );
    this.context.lookAt(task);
    this.context.touched(task);
  }
}

/** What a run ended with: its error, or `undefined` on success. */
function ended(outcome: Ending): unknown {
  return outcome.action === 'success' ? undefined : outcome.error;
}

/** A record's `scheduledAt`: only when the run was due for another instant than its start. */
function scheduledAt(run: RunHandle): { scheduledAt?: Date } {
  const at = run.scheduledAt;
  return at === undefined || at === run.start ? {} : { scheduledAt: new Date(at) };
}

const NO_FIELDS = Object.freeze({});

/** A record's `parameters`: a run without batch parameters adds nothing and allocates nothing. */
function parameters(run: RunHandle): { parameters?: Parameters } {
  const params = run.parameters;
  return params === undefined ? NO_FIELDS : { parameters: params };
}

function hasKeys(params: Parameters): boolean {
  for (const key in params) if (Object.hasOwn(params, key)) return true;
  return false;
}
