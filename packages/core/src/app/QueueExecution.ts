import type { DependencyContainer } from 'tsyringe';
import type { ExecutableTask, Executor } from '../execution/Executor';
import type { RunContextCarrier } from '../execution/instrumentation/Instrumentation';
import type { ApogeeLogger } from '../logging/ApogeeLogger';
import type { Leadership } from '../scheduler/cluster/Leadership';
import type { StartFence } from '../scheduler/launch/StartFence';

/**
 * What a queue executor sees of the app it serves: the leader's side sends runs, every
 * instance's worker runs jobs on its own copy of the app.
 */
export interface QueueContext {
  /** The registered task called `name`: a worker calls its code on an instance built by the app. */
  findTask(name: string): ExecutableTask | undefined;
  /** The app's container: services a task asks for with `@Inject(token)` come from it. */
  readonly container: DependencyContainer;
  /** The leader lease the app was given (`...redis()`), or `undefined` when it was given none. */
  readonly leadership: Leadership | undefined;
  /**
   * The start fence the app was given (`...redis()`): a worker checks with it that a job's run was
   * claimed by a leader before running it.
   */
  readonly fence: StartFence | undefined;
  /** Where the queue's warnings go: the app's `config.logger`, at its level. */
  readonly logger: ApogeeLogger;
  /**
   * Calls `fn` (a task's code, on this instance's worker) inside the trace context that `carrier`
   * (read from its job) describes, entered through this app's own instrumentation (its
   * `workerModule`, never a module a job names); as is without a carrier or such an
   * instrumentation. A carrier or instrumentation that fails is a warning, never the run's failure.
   */
  enterCarried<T>(carrier: RunContextCarrier | undefined, fn: () => T): Promise<T>;
}

/** What a queue package builds a {@link QueueExecution} from (see `queueExecution()`). */
export interface QueueExecutorSpec {
  /** What a trace calls this queue (OpenTelemetry's `messaging.system` and `messaging.destination.name`). */
  readonly messaging?: QueueMessaging;
  /**
   * Builds the executor when the app is built. Throws a `ConfigurationError` when the app lacks
   * what the queue needs (a leader lease and a shared log).
   */
  create(app: QueueContext): Executor;
}

let wrap: (spec: QueueExecutorSpec) => QueueExecution;
let unwrap: (queue: QueueExecution) => QueueExecutorSpec;

/**
 * What `bullmq()` from `@apogee/bullmq` puts under `queue` in `new App({ ... })`: the executor of
 * `execution: 'queue'` runs. Without one, a task asking for `'queue'` is refused at registration.
 * Opaque: only a queue package makes one (with `queueExecution()` of `@apogee/core/internal`), so
 * the engine parts it plugs in stay out of the public API.
 *
 * @example
 * ```ts
 * const app = new App({ tasks: [Billing], ...redis({ url, name: 'billing' }), ...bullmq({ url, name: 'billing' }) });
 * ```
 */
export class QueueExecution {
  // An ES private field makes the type nominal: no plain object passes for a queue.
  readonly #spec: QueueExecutorSpec;

  private constructor(spec: QueueExecutorSpec) {
    this.#spec = spec;
  }

  /** What a trace calls this queue (OpenTelemetry's `messaging.system` and `messaging.destination.name`). */
  get messaging(): QueueMessaging | undefined {
    return this.#spec.messaging;
  }

  static {
    wrap = (spec) => new QueueExecution(spec);
    unwrap = (queue) => queue.#spec;
  }
}

/** Wraps a queue package's executor factory as the opaque value `new App({ queue })` takes. */
export function queueExecution(spec: QueueExecutorSpec): QueueExecution {
  return wrap(spec);
}

/** Builds `queue`'s executor for the app described by `app`. */
export function createQueueExecutor(queue: QueueExecution, app: QueueContext): Executor {
  return unwrap(queue).create(app);
}

/** A queue's names in traces, after OpenTelemetry's messaging conventions (`system: 'bullmq'`). */
export interface QueueMessaging {
  /** The queue system's name, as OpenTelemetry spells it (`'bullmq'`). */
  readonly system: string;
  /** The queue's name in that system. */
  readonly destination: string;
  /** The id of a run's message (its job) in the queue: OpenTelemetry's `messaging.message.id`. */
  readonly messageId?: (taskName: string, runId: string) => string;
}
