import { errorMessage } from '../../errors/errorMessage';
import type { QueueMessaging } from '../../app/QueueExecution';
import type { Execution } from '../../metadata/TaskOptions';
import type {
  Instrumentation,
  InstrumentedApp,
  InstrumentedRunEnd,
  InstrumentedRunStart,
  RunContextCarrier,
  RunObserver,
} from './Instrumentation';
import { RunObservers } from './RunObservers';

/** What a worker needs to run a task inside its run's context: the module to import and the carrier. */
export interface WorkerRunContext {
  readonly module: string;
  readonly carrier: RunContextCarrier;
}

/** Every instrumentation's watch over one run, kept on its `RunHandle`. */
export interface RunObservation {
  /** A `queue` run observed from its dispatch began on a worker (see `RunObserver.begun`). */
  begun(start: number, dueAt: number): void;
  ended(end: InstrumentedRunEnd): void;
  /** Calls the run's code inside each observer's context. */
  enter<T>(fn: () => T): T;
  /** For a thread or process worker; `undefined` when no instrumentation carries a context. */
  readonly worker: WorkerRunContext | undefined;
}

/**
 * The instrumentations of one app (`AppOptions.instrumentation`, `app.instrument(...)`). Asked at
 * each run's start only while there is one, so an app without any pays a length check per run.
 */
export class Instruments {
  private readonly list: Instrumentation[] = [];

  constructor(
    private readonly app: InstrumentedApp,
    /** Where an instrumentation's own failure is reported (`config.onWarning`). */
    private readonly warn: (taskName: string, message: string) => void,
    /** The names of the app's queue, told with each `queue` run. */
    private readonly queue: QueueMessaging | undefined,
  ) {}

  /** Whether any instrumentation watches runs: when not, nothing is built per run. */
  get active(): boolean {
    return this.list.length > 0;
  }

  /**
   * The `workerModule` of this app's first instrumentation that has one: what a queue worker enters
   * a job's carried context with (its own, never a module a job names).
   */
  get workerModule(): string | undefined {
    for (const instrumentation of this.list)
      if (instrumentation.workerModule !== undefined) return instrumentation.workerModule;
    return undefined;
  }

  /** Adds `instrumentation`; the returned function removes it (runs it watches still end in it). */
  add(instrumentation: Instrumentation): () => void {
    instrumentation.attach?.(this.app);
    this.list.push(instrumentation);
    return () => {
      const at = this.list.indexOf(instrumentation);
      if (at >= 0) this.list.splice(at, 1);
    };
  }

  /** A run began: what each instrumentation watches of it, or `undefined` when none does. */
  started(
    taskName: string,
    runId: string,
    execution: Execution,
    start: number,
    dueAt: number,
  ): RunObservation | undefined {
    const at = new Date(start);
    const begun: InstrumentedRunStart = {
      taskName,
      runId,
      execution,
      // One Date when the run began when it was due, as most do (records are values, never mutated).
      scheduledAt: dueAt === start ? at : new Date(dueAt),
      start: at,
      lateness: Math.max(0, start - dueAt),
    };
    const run = execution === 'queue' ? { ...begun, ...this.queueFields(taskName, runId) } : begun;
    let observers: RunObserver[] | undefined;
    let modules: (string | undefined)[] | undefined;
    for (const instrumentation of this.list) {
      let observer: RunObserver | undefined;
      try {
        observer = instrumentation.runStarted(run);
      } catch (error) {
        this.failed(taskName, error);
        continue;
      }
      if (observer === undefined) continue;
      (observers ??= []).push(observer);
      (modules ??= []).push(instrumentation.workerModule);
    }
    return observers === undefined
      ? undefined
      : new RunObservers(taskName, observers, modules ?? [], this.failed);
  }

  /** What a trace tells of a queue run: the queue's names and the id of its job. */
  private queueFields(taskName: string, runId: string): Pick<InstrumentedRunStart, 'queue' | 'messageId'> {
    const { queue } = this;
    if (queue === undefined) return {};
    const messageId = queue.messageId?.(taskName, runId);
    return messageId === undefined ? { queue } : { queue, messageId };
  }

  /** An instrumentation threw: a warning, never the run's failure or the scheduler's. */
  private readonly failed = (taskName: string, error: unknown): void => {
    this.warn(
      taskName,
      `Apogee: an instrumentation failed on a run of task "${taskName}": ${errorMessage(error)}. The run goes on unobserved by it; fix the instrumentation.`,
    );
  };
}
