import type { RelayedRequest, RequestRelay } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';
import type { PostgresLease } from './PostgresLease';
import type { PostgresNode } from './PostgresNode';
import { readRelayed } from './readRelayed';

/**
 * Requests from replicas that do not lead, through the `requests` table: a replica inserts one
 * and notifies; the leader deletes the oldest and carries it out. The DELETE ... RETURNING also
 * checks the lease token, so a request is taken once, and only by the current leader: a paused
 * ex-leader cannot take one and lose it. A request taken by a leader that dies before queuing it
 * is lost, never doubled. Without notifications (a lost connection) the leader still polls once
 * per renewal interval.
 */
export class PostgresRelay implements RequestRelay {
  constructor(
    private readonly node: PostgresNode,
    private readonly lease: PostgresLease,
    /** Signs what `forward` sends and checks what `serve` takes, when `postgres({ secret })` is set. */
    private readonly seal: { sign(body: string): string; verify(body: string, signature: unknown): boolean },
  ) {}

  async forward(request: RelayedRequest): Promise<void> {
    const body = JSON.stringify(request);
    await this.node.query(
      `WITH added AS (INSERT INTO ${this.node.s}.requests (app, body) VALUES ($1, $2) RETURNING id)
       SELECT pg_notify($3, '') FROM added`,
      [this.node.name, { body, signature: this.seal.sign(body) }, this.node.channels.requests],
    );
  }

  serve(handler: (request: RelayedRequest) => void): () => void {
    let stopped = false;
    let wake: (() => void) | undefined;
    let unlisten: (() => void) | undefined;
    void this.node.listener
      .listen(this.node.channels.requests, () => wake?.())
      .then(
        (stop) => {
          if (stopped) stop();
          else unlisten = stop;
        },
        () => undefined,
      );
    const loop = async (): Promise<void> => {
      while (!stopped) {
        const token = this.lease.token;
        let taken = false;
        if (token !== undefined) taken = await this.takeOne(token, handler);
        if (taken || stopped) continue;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.lease.renewInterval);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    };
    void loop();
    return () => {
      stopped = true;
      wake?.();
      unlisten?.();
    };
  }

  /** Takes the oldest request, if this process still holds the lease; true if there was one. */
  private async takeOne(token: string, handler: (request: RelayedRequest) => void): Promise<boolean> {
    const { s, name } = this.node;
    let rows: { id: string; body: unknown }[];
    try {
      rows = await this.node.query(
        `DELETE FROM ${s}.requests WHERE id = (
           SELECT r.id FROM ${s}.requests r WHERE r.app = $1
             AND EXISTS (SELECT 1 FROM ${s}.leases l WHERE l.app = $1 AND l.token = $2 AND l.expires_at > now())
           ORDER BY r.id FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING id, body`,
        [name, token],
      );
    } catch (error) {
      process.emitWarning(`Apogee: reading requests from other replicas failed (${errorMessage(error)}).`, {
        code: 'APOGEE_POSTGRES_RELAY',
      });
      return false;
    }
    const row = rows[0];
    if (row === undefined) return false;
    const request = readRelayed(row.body, `${s}.requests (app "${name}", id ${row.id})`, this.seal);
    if (request !== undefined) handler(request);
    return true;
  }
}
