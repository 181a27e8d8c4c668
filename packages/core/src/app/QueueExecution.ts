import type { DependencyContainer } from 'tsyringe';
import type { ExecutableTask, Executor } from '../execution/Executor';
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
}

/**
 * What `bullmq()` from `@apogee/bullmq` puts under `queue` in `new App({ ... })`: the executor of
 * `execution: 'queue'` runs. Without one, a task asking for `'queue'` is refused at registration.
 *
 * @example
 * ```ts
 * const app = new App({ tasks: [Billing], ...redis({ url, name: 'billing' }), ...bullmq({ url, name: 'billing' }) });
 * ```
 */
export interface QueueExecution {
  /** What a trace calls this queue (OpenTelemetry's `messaging.system` and `messaging.destination.name`). */
  readonly messaging?: QueueMessaging;
  /**
   * Builds the executor when the app is built. Throws a `ConfigurationError` when the app lacks
   * what the queue needs (a leader lease and a shared log).
   */
  create(app: QueueContext): Executor;
}

/** A queue's names in traces, after OpenTelemetry's messaging conventions (`system: 'bullmq'`). */
export interface QueueMessaging {
  readonly system: string;
  readonly destination: string;
}
