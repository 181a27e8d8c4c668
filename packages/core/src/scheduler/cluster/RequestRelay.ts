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
  /** Sends a request to the leader. A rejection is reported to the caller of `forward`. */
  forward(request: RelayedRequest): Promise<void>;
  /**
   * Hands requests sent by other replicas to `handler` while this process leads (the relay asks
   * the leadership); returns what stops that.
   */
  serve(handler: (request: RelayedRequest) => void): () => void;
}
