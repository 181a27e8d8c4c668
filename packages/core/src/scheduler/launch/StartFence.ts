/**
 * What kind of start a {@link StartFence} is asked about. `batch`: a run whose id was reserved
 * before (by `task.run(params)` on any replica, or a `when()` emission), so the id itself is the
 * key. `condition`: a run started because the task's start condition holds; it has no reserved
 * id, so a fence keys it on the task and the history the start is based on.
 */
export type StartKind = 'batch' | 'condition';

/** One start the scheduler is about to make. */
export interface StartClaim {
  /** The task to start. */
  readonly taskName: string;
  /** The id of the run about to start. */
  readonly runId: string;
  /** Whether the run was reserved before (`'batch'`) or started by the task's condition. */
  readonly kind: StartKind;
}

/**
 * Asked right before every start (start-up and shutdown tasks excepted: they belong to each
 * process): may this process start this run? When several processes share one schedule, a
 * fence in a shared store makes each due run start at most once, even while two processes both
 * believe they lead (one paused past its lease, say). A refused run is dropped unrecorded.
 *
 * Answering synchronously keeps a single process as fast as without a fence; a promise holds
 * that one run (it counts as live meanwhile) and nothing else.
 *
 * @example
 * ```ts
 * const fence: StartFence = { claim: ({ runId }) => claimed.add(runId) && true };
 * ```
 */
export interface StartFence {
  /** Whether this process may make the start: `true` to start the run, `false` to drop it unrecorded. */
  claim(start: StartClaim): boolean | Promise<boolean>;
  /**
   * For fences in a shared store: resolves to `undefined` when run `runId` of `taskName` was
   * claimed and has not ended (and, for a condition start, the task is not paused), else to why
   * not. A queue worker asks this before it runs a job, so that it runs only what a leader started.
   */
  verifyClaim?(taskName: string, runId: string): Promise<string | undefined>;
}

/** The default: one process, every start allowed. */
export const openFence: StartFence = Object.freeze({ claim: () => true });
