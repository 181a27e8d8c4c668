import type { DependencyContainer } from 'tsyringe';
import type { Instrumentation } from '../execution/instrumentation/Instrumentation';
import type { RunLog } from '../log/RunLog';
import type { Parameters } from '../params/levels';
import type { Leadership } from '../scheduler/cluster/Leadership';
import type { RequestRelay } from '../scheduler/cluster/RequestRelay';
import type { StartFence } from '../scheduler/launch/StartFence';
import type { Clock } from '../time/Clock';
import type { AppConfig } from './AppConfig';
import type { InstanceProvider } from './instances/InstanceProvider';
import type { QueueExecution } from './QueueExecution';
import type { Constructor } from './registration/Constructor';

/**
 * Options of `new App(...)`.
 *
 * @example
 * ```ts
 * new App({ params: { env: 'prod' }, config: { timezone: 'UTC' }, tasks: [Jobs] });
 * ```
 */
export interface AppOptions {
  /** Session-level parameters. */
  readonly params?: Parameters;
  /** Scheduler and run settings (time zone, default execution mode, timeouts, ...); each has a default. */
  readonly config?: AppConfig;
  /** The container classes are built in. Default: a child of tsyringe's root container. */
  readonly container?: DependencyContainer;
  /**
   * Who builds the classes holding task, condition and provider methods. Default: each class
   * once, through `container`. A NestJS integration passes one backed by Nest's injector.
   */
  readonly instances?: InstanceProvider;
  /** Where run records go. Default: a bounded in-memory log. */
  readonly log?: RunLog;
  /**
   * Whether this process may schedule runs, when several share one schedule (a leader lease in a
   * shared store). Default: always the leader. While not the leader, the app checks no condition
   * and starts no run but its own start-up and shutdown tasks.
   */
  readonly leadership?: Leadership;
  /**
   * The executor of `execution: 'queue'` runs: spread `...bullmq({ url, name })` from
   * `@apogee/bullmq`. Without it, a task asking for `'queue'` is a `ConfigurationError`.
   */
  readonly queue?: QueueExecution;
  /**
   * Asked right before every start, so that processes sharing one schedule start each due run at
   * most once (see {@link StartFence}). Default: every start allowed.
   */
  readonly fence?: StartFence;
  /**
   * Carries `task.run(params)`, `task.terminate()` and `when()` emissions from a process that does
   * not lead to the one that does (see {@link RequestRelay}). Default: none (all stay here).
   */
  readonly relay?: RequestRelay;
  /**
   * Told of each run's start and end, and given its code to call inside a context: spread
   * `...otel()` from `@apogee/opentelemetry`. More can be added with `app.instrument(...)`.
   * Default: none (nothing is done per run for it).
   */
  readonly instrumentation?: Instrumentation;
  /** Classes to register, as with `app.register(...)`. */
  readonly tasks?: readonly Constructor[];
  /** Where time comes from. Default: `Date.now()` (which jest's fake timers control). */
  readonly clock?: Clock;
  /** Command-line tokens for `@Cli`. Default: `process.argv`. */
  readonly argv?: readonly string[];
  /** Environment for `@Env`. Default: `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where jitter delays are drawn: a number in [0, 1). Default: `Math.random`. */
  readonly random?: () => number;
}
