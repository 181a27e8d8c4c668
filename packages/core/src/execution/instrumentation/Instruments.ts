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
    const run: InstrumentedRunStart = {
      taskName,
      runId,
      execution,
      scheduledAt: new Date(dueAt),
      start: new Date(start),
      lateness: Math.max(0, start - dueAt),
      ...(execution === 'queue' ? this.queueFields(taskName, runId) : {}),
    };
    const observers: { observer: RunObserver; module: string | undefined }[] = [];
    for (const instrumentation of this.list) {
      const observer = this.guard(taskName, () => instrumentation.runStarted(run));
      if (observer !== undefined) observers.push({ observer, module: instrumentation.workerModule });
    }
    return observers.length === 0 ? undefined : this.observation(taskName, observers);
  }

  /** What a trace tells of a queue run: the queue's names and the id of its job. */
  private queueFields(taskName: string, runId: string): Pick<InstrumentedRunStart, 'queue' | 'messageId'> {
    const { queue } = this;
    if (queue === undefined) return {};
    const messageId = queue.messageId?.(taskName, runId);
    return messageId === undefined ? { queue } : { queue, messageId };
  }

  private observation(
    taskName: string,
    observers: readonly { observer: RunObserver; module: string | undefined }[],
  ): RunObservation {
    // One context crosses into a worker: the first instrumentation that carries one.
    const carrying = observers.find((o) => o.module !== undefined && o.observer.carrier !== undefined);
    return {
      worker:
        carrying === undefined
          ? undefined
          : { module: carrying.module as string, carrier: carrying.observer.carrier as RunContextCarrier },
      begun: (start, dueAt) => {
        const begin = { start: new Date(start), lateness: Math.max(0, start - dueAt) };
        for (const { observer } of observers)
          if (observer.begun !== undefined)
            this.guard(taskName, () => {
              observer.begun?.(begin);
            });
      },
      ended: (end) => {
        for (const { observer } of observers)
          this.guard(taskName, () => {
            observer.ended(end);
          });
      },
      enter: <T>(fn: () => T): T => enterEach(observers, 0, fn),
    };
  }

  /** Calls an instrumentation: its failure is a warning, never the run's or the scheduler's. */
  private guard<T>(taskName: string, call: () => T): T | undefined {
    try {
      return call();
    } catch (error) {
      this.warn(
        taskName,
        `Apogee: an instrumentation failed on a run of task "${taskName}": ${errorMessage(error)}. The run goes on unobserved by it; fix the instrumentation.`,
      );
      return undefined;
    }
  }
}

/** Calls `fn` inside the context of each observer from `index` on, the first outermost. */
function enterEach<T>(observers: readonly { observer: RunObserver }[], index: number, fn: () => T): T {
  const observer = observers[index]?.observer;
  if (observer === undefined) return fn();
  const inner = (): T => enterEach(observers, index + 1, fn);
  return observer.enter === undefined ? inner() : observer.enter(inner);
}
