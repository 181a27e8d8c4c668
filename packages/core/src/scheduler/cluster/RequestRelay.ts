import type { Parameters } from '../../params/levels';

/** A request made on a replica that does not lead, for the leader to carry out. */
export type RelayedRequest =
  /**
   * `task.run(params)` or one run of `task.backfill(...)`: `runId` was reserved where it was asked,
   * so the caller can follow it; `scheduledAt` is the instant it is due for (ms since the epoch).
   */
  | {
      readonly kind: 'run';
      readonly taskName: string;
      readonly params: Parameters;
      readonly runId: string;
      readonly scheduledAt?: number;
      /**
       * The task's bound (`maxBatches`) on the replica that sent it: a relay that keeps the counts
       * refuses the request (`forward` rejects with `QueueFullError`) when that many runs of the
       * task already wait on the leader or are on their way to it. Not stored with the request.
       */
      readonly maxBatches?: number;
    }
  /** `task.terminate()`. */
  | { readonly kind: 'terminate'; readonly taskName: string }
  /** An emission of the `index`-th `when()` (in condition order) of the task's start condition. */
  | { readonly kind: 'emission'; readonly taskName: string; readonly index: number; readonly value: unknown };

/**
 * Carries requests from replicas that do not lead to the one that does (through a shared store),
 * so that any replica accepts `task.run(params)`, `task.terminate()` and `when()` emissions, and
 * each is carried out once.
 *
 * @example
 * ```ts
 * const stop = relay.serve((request) => console.log(request.kind, request.taskName));
 * ```
 */
export interface RequestRelay {
  /**
   * Sends a request to the leader. A rejection is reported to the caller of `forward`: a `run`
   * request with `maxBatches` that the store refuses rejects with `QueueFullError`.
   */
  forward(request: RelayedRequest): Promise<void>;
  /**
   * Hands requests sent by other replicas to `handler` while this process leads (the relay asks
   * the leadership); returns what stops that. For a `run` request, `handler` returns how many
   * runs of the task wait once it is queued, for the relay to store with the request's arrival.
   * `waiting` gives every task's waiting runs (tasks without any are left out): the relay reads
   * it when this process starts leading, to rewrite the counts another leader left in the store.
   */
  serve(
    handler: (request: RelayedRequest) => number | undefined,
    waiting?: () => ReadonlyMap<string, number>,
  ): () => void;
  /**
   * The leader's waiting runs per task changed (only the tasks in `changes`; 0: none wait): a
   * relay that bounds `run` requests by `maxBatches` stores them. Called at most once per
   * scheduler pass, in order: the relay must write them in that order.
   */
  publishWaiting?(changes: ReadonlyMap<string, number>): void;
}
