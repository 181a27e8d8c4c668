import type { StartClaim, StartFence } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';
import type { PostgresLease } from './PostgresLease';
import type { PostgresNode } from './PostgresNode';
import type { PostgresRunLog } from './PostgresRunLog';

/**
 * The start fence on PostgreSQL: right before each start, the lease must still be valid here
 * (the monotonic clock, no round trip) and then the `claim` function must succeed. It checks the
 * token and claims in one statement (see migrations.ts): two round trips would leave a gap in
 * which this process could pause, lose the lease, and claim on a lease it no longer holds.
 *
 * A batch (`task.run`, an emission) is claimed on its run id. A condition start is a
 * compare-and-set on the task's last condition start: it succeeds only if the last start stored
 * is the one this leader's state was restored with (or made itself), so two leaders that both
 * believe the task is due cannot both start it, and a stale one cannot start at all. Any refusal
 * other than "this batch already ran" ends this process's term.
 */
export class PostgresFence implements StartFence {
  /** Claims of one task go one after another: each is based on the one before. */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(
    private readonly node: PostgresNode,
    private readonly lease: PostgresLease,
    private readonly log: PostgresRunLog,
  ) {}

  claim(start: StartClaim): boolean | Promise<boolean> {
    const token = this.lease.token;
    if (token === undefined) return false;
    const previous = this.pending.get(start.taskName) ?? Promise.resolve();
    const next = previous.then(() => this.claimNow(start, token));
    this.pending.set(start.taskName, next);
    void next.finally(() => {
      if (this.pending.get(start.taskName) === next) this.pending.delete(start.taskName);
    });
    return next;
  }

  private async claimNow(start: StartClaim, token: string): Promise<boolean> {
    const { taskName, runId, kind } = start;
    const { s, name, processId } = this.node;
    const basis = this.log.lastStarts.get(taskName) ?? '';
    let result: number | undefined;
    try {
      const rows = await this.node.query<{ r: number }>(
        `SELECT ${s}.claim($1, $2, $3, $4, $5, $6, $7, $8) AS r`,
        [name, token, kind, taskName, runId, basis, processId, Date.now()],
      );
      result = rows[0]?.r;
    } catch (error) {
      void this.lease.lose(`PostgreSQL did not answer the start fence (${errorMessage(error)})`);
      throw error;
    }
    if (result === 1) {
      if (kind === 'condition') this.log.lastStarts.set(taskName, runId);
      if (this.lease.isLeader) return true;
      // Paused between the claim and its answer, past the term: claimed, but not started by a
      // process that may no longer lead. The claim is withdrawn, so the next leader (whose basis
      // is this claim) starts the run instead.
      await this.node
        .query(`DELETE FROM ${s}.open_runs WHERE app = $1 AND run_id = $2 AND NOT recorded`, [name, runId])
        .catch(() => undefined);
      return false;
    }
    if (result === -1) void this.lease.lose('another process holds the lease');
    if (result === -2) void this.lease.lose(`task "${taskName}" was started by another process meanwhile`);
    return false;
  }
}
