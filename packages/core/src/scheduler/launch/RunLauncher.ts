import { TaskTimeoutError } from '../../errors/TaskTimeoutError';
import type { AdoptedRun, RoomListener, RunListener, WorkerExitReport } from '../../execution/Executor';
import { nextRunId } from '../../execution/nextRunId';
import { RunHandle } from '../../execution/RunHandle';
import type { LiveRun } from '../../execution/LiveRun';
import type { RunOutcome } from '../../execution/runInProcess';
import type { Execution } from '../../metadata/TaskOptions';
import type { Parameters } from '../../params/levels';
import { ResolutionScope } from '../../params/ResolutionScope';
import { monotonicNow } from '../../time/Clock';
import { processWarning } from '../../logging/FoldedWarnings';
import { openFence } from './StartFence';
import type { Batch, ScheduledTask } from '../task/ScheduledTask';
import type { WakeQueue } from '../loop/WakeQueue';
import type { LaunchContext } from './LaunchContext';
import { LiveRuns } from './LiveRuns';
import { RunRecording, type Ending } from './RunRecording';
import type { RunLauncherPorts } from './RunLauncherPorts';

export type { LaunchContext } from './LaunchContext';
export type { RunLauncherPorts } from './RunLauncherPorts';

/**
 * Launches runs on the executor and records them: the start when a run begins, its end however
 * it ends (its outcome, a timeout, a termination). Owns the live runs. Timeouts share the
 * scheduler's wake queue, so there is no timer per run.
 */
export class RunLauncher implements RunListener, RoomListener {
  // ---- state ----
  /** Live runs per task: launched, not yet recorded as ended. */
  private readonly live = new LiveRuns();
  /** Tasks that were due while their executor had no room: looked at again when it has. */
  private readonly awaitingRoom = new Set<ScheduledTask>();
  /** What is written when a run begins and ends. */
  private readonly recording: RunRecording;
  /** Adopted runs whose start the log is asked about: their end is recorded once it answered. */
  private readonly checkingStart = new Map<RunHandle, Promise<void>>();

  constructor(
    private readonly ports: RunLauncherPorts,
    /** Where run timeouts are due (the scheduler's wake queue). */
    private readonly wakes: Pick<WakeQueue<RunHandle>, 'set'>,
    private readonly context: LaunchContext,
  ) {
    this.recording = new RunRecording(ports);
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
    return this.live.count(task);
  }

  /** Tasks that have (or had) live runs. */
  liveTasks(): Iterable<ScheduledTask> {
    return this.live.tasks();
  }

  /** Runs under way, oldest first, of `task` or of every task. */
  liveRuns(task?: ScheduledTask): LiveRun[] {
    return this.live.list(task);
  }

  /** Resolves once every run live now has ended. */
  drain(task?: ScheduledTask): Promise<void> {
    return this.live.drain(task);
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
    this.live.track(task, run);
    run.onProgress = this.recording.progressed;
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
    this.live.untrack(task, run);
  }

  /** Terminates every live run of `task`. */
  terminate(task: ScheduledTask, reason: unknown): void {
    for (const run of [...this.live.of(task)]) this.terminateRun(task, run, reason);
  }

  /**
   * A run's timeout (from the wake queue) has come by the wall clock. It is measured on the
   * monotonic clock: after the wall clock stepped forward, the run gets the rest of its time.
   */
  timeOut(run: RunHandle): void {
    const task = this.live.task(run);
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

  adopt(taskName: string, runId: string, begunAt: number | undefined): AdoptedRun | undefined {
    const task = this.ports.host.findTask(taskName) as ScheduledTask | undefined;
    if (task === undefined) return undefined;
    for (const live of this.live.of(task)) if (live.runId === runId) return undefined;
    const { clock } = this.ports;
    const run = new RunHandle(task.name, runId, begunAt ?? clock.now());
    run.onOutput = this.ports.output?.write;
    this.live.track(task, run);
    if (begunAt !== undefined) this.adoptBegun(task, run, begunAt);
    this.context.lookAt(task);
    this.context.touched(task);
    return { run, listener: this };
  }

  /**
   * An adopted run that began elsewhere: its clock is set from `begunAt`. The process that began
   * it wrote its start, unless it stopped first: the log is asked, and a start it lacks is written
   * now (with `begunAt`). Its end waits for that answer, so that the start is stored first.
   */
  private adoptBegun(task: ScheduledTask, run: RunHandle, begunAt: number): void {
    const { clock, recorder } = this.ports;
    run.begun = true;
    run.startDate = new Date(begunAt);
    run.monotonicStart = monotonicNow(clock) - (clock.now() - begunAt);
    const def = task.definition;
    if (Number.isFinite(def.timeout) && !def.permanent) this.wakes.set(run, begunAt + def.timeout);
    if (recorder.startRecorded === undefined) return;
    const check = recorder
      .startRecorded(task.name, run.runId)
      // A log that cannot tell: the start is written, and a store that holds it already refuses it.
      .catch(() => false)
      .then((recorded) => {
        this.checkingStart.delete(run);
        if (!recorded) this.recording.started(task, run, begunAt);
      });
    this.checkingStart.set(run, check);
  }

  workerExited(report: WorkerExitReport): void {
    const { events, clock } = this.ports;
    events.notify({ type: 'workerExited', at: new Date(clock.now()), ...report });
  }

  // ---- RunListener ----

  /** Records a run's start and arms its timeout. */
  begun(run: RunHandle): void {
    const task = this.live.task(run);
    if (task !== undefined) this.begin(task, run);
  }

  ended(run: RunHandle, outcome: RunOutcome): void {
    const task = this.live.task(run);
    if (task !== undefined) this.finish(task, run, outcome);
  }

  // ---- recording ----

  private begin(task: ScheduledTask, run: RunHandle): void {
    if (run.begun) return;
    run.begun = true;
    this.recording.started(task, run);
    this.context.touched(task);
    const def = task.definition;
    if (Number.isFinite(def.timeout) && !def.permanent) this.wakes.set(run, run.start + def.timeout);
  }

  private terminateRun(task: ScheduledTask, run: RunHandle, reason: unknown): void {
    if (run.settled) return;
    run.abort(reason);
    this.finish(task, run, { action: 'terminate', error: reason });
  }

  private finish(task: ScheduledTask, run: RunHandle, outcome: Ending): void {
    if (run.settled) return;
    const checking = this.checkingStart.get(run);
    if (checking !== undefined) {
      void checking.then(() => {
        this.finish(task, run, outcome);
      });
      return;
    }
    // A run terminated while it waited for a worker is recorded as started and terminated at once.
    this.begin(task, run);
    run.settle();
    this.live.untrack(task, run);
    this.wakes.set(run, Infinity);
    this.ports.output?.ended(run);
    this.recording.ended(task, run, outcome);
    this.context.lookAt(task);
    this.context.touched(task);
  }
}

function hasKeys(params: Parameters): boolean {
  for (const key in params) if (Object.hasOwn(params, key)) return true;
  return false;
}
