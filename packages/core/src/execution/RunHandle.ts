import { checkProgress } from './checkProgress';
import type { RunProgress } from './LiveRun';
import type { RunObservation } from './instrumentation/Instruments';
import type { OutputLine } from '../log/OutputLine';
import type { Parameters } from '../params/levels';

/** One live run: its id, its abort controller and a promise that settles when it has ended. */
export class RunHandle {
  // Most runs never ask for their signal; an AbortController costs more than the rest of a launch.
  private controller: AbortController | undefined;
  private abortReason: { reason: unknown } | undefined;
  // Made when first asked for: most runs are never awaited, and a promise per run is garbage
  // collected in the middle of the next scheduler pass.
  private donePromise: Promise<void> | undefined;
  private resolveDone: (() => void) | undefined;
  /** Set once the run's end is recorded; later outcomes of the same run are ignored. */
  settled = false;
  /** Set when a start fence refused it: it never started and is recorded nowhere. */
  refused = false;
  /** Set once its start is recorded. A thread or process run waits for a worker before that. */
  begun = false;
  /** The start instant as recorded in its 'run' record. */
  startDate: Date | undefined;
  /** When it began on the monotonic clock: its timeout counts from here, whatever the wall clock does. */
  monotonicStart = 0;
  /** The instant the run was due for, when it was not the instant it was launched (see `RunRecord.scheduledAt`). */
  scheduledAt: number | undefined;
  /** Its non-empty batch parameters, written on its records (see `RunRecord.parameters`). */
  parameters: Parameters | undefined;
  /** The last progress the run reported (`@Progress()`). */
  progress: RunProgress | undefined;
  /** Told of each progress report that was taken (the launcher emits `taskProgress`). */
  onProgress: ((run: RunHandle) => void) | undefined;
  /** Told of each line of output the run wrote (`@RunLogger()`, a worker's console); the launcher keeps them. */
  onOutput: ((run: RunHandle, line: OutputLine) => void) | undefined;
  /**
   * Told when the run is aborted, for an executor that passes the abort on elsewhere (a queue job's
   * worker) without asking for {@link RunHandle.signal}, which would cost an AbortController per run.
   */
  onAbort: ((reason: unknown) => void) | undefined;
  /** What the app's instrumentations watch of it, from its start; `undefined` when none does. */
  observation: RunObservation | undefined;
  /**
   * The task among whose live runs the scheduler counts it, from its launch to its end record
   * (opaque here: the scheduler's `LiveRuns` sets and reads it). A field rather than a map entry
   * per run: adding and deleting a key per run cost a tenth of a no-op run.
   */
  liveTask: object | undefined;
  /** When the scheduler's wake queue times it out, as the queue's offset (opaque here). */
  wakeOffset: number | undefined;

  constructor(
    readonly taskName: string,
    readonly runId: string,
    /** Start instant, ms since the epoch: when it was launched, then when it began. */
    public start: number,
  ) {}

  /** The instant the run was due for: what `@ScheduledAt()` injects. */
  get dueAt(): number {
    return this.scheduledAt ?? this.start;
  }

  /** Resolves when the run is recorded as ended, however it ended. */
  get done(): Promise<void> {
    if (this.donePromise === undefined) {
      this.donePromise = this.settled
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            this.resolveDone = resolve;
          });
    }
    return this.donePromise;
  }

  /** Aborted when the run is terminated. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.abortReason !== undefined) this.controller.abort(this.abortReason.reason);
    }
    return this.controller.signal;
  }

  /** Aborts the run's signal with `reason`. */
  abort(reason: unknown): void {
    if (this.abortReason !== undefined) return;
    this.abortReason = { reason };
    this.controller?.abort(reason);
    this.onAbort?.(reason);
  }

  /**
   * A progress report from the run (`@Progress()`, here or from its worker). Throws when it is not
   * a fraction from 0 to 1; ignored once the run has ended.
   */
  report(fraction: unknown, message?: unknown): void {
    const progress = checkProgress(this.taskName, fraction, message);
    if (this.settled) return;
    this.progress = progress;
    this.onProgress?.(this);
  }

  /**
   * A line of the run's own output, written here or in its worker. Lines that arrive after the run
   * ended (a worker's stdout flushed late) are dropped: the run's output is closed with its end record.
   */
  write(line: OutputLine): void {
    if (this.settled) return;
    this.onOutput?.(this, line);
  }

  /** Marks the run ended; returns false if it already was. */
  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.resolveDone?.();
    return true;
  }
}
