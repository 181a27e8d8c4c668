import type { RelayedRequest, RequestRelay } from '@apogee/core';
import {
  errorMessage,
  readStoredValue,
  relayEntryShape,
  relayPayload,
  signStored,
  verifyStored,
} from '@apogee/core/internal';
import type { PostgresLease } from './PostgresLease';
import type { PostgresNode } from './PostgresNode';

/**
 * Requests from replicas that do not lead, through the `requests` table: a replica inserts one
 * and notifies; the leader deletes the oldest and carries it out. The DELETE ... RETURNING also
 * checks the lease token, so a request is taken once, and only by the current leader: a paused
 * ex-leader cannot take one and lose it. A request taken by a leader that dies before queuing it
 * is lost, never doubled. Without notifications (a lost connection) the leader still polls once
 * per renewal interval.
 *
 * Every entry taken is checked before it is carried out: one that is not a request is skipped,
 * and with a `secret` one without its HMAC is refused, each with a warning naming the row.
 */
export class PostgresRelay implements RequestRelay {
  constructor(
    private readonly node: PostgresNode,
    private readonly lease: PostgresLease,
  ) {}

  async forward(request: RelayedRequest): Promise<void> {
    const { secrets } = this.node;
    const entry =
      secrets.length === 0
        ? request
        : { ...request, signature: signStored(secrets, 'relay', relayPayload(request)) };
    await this.node.query(
      `WITH added AS (INSERT INTO ${this.node.s}.requests (app, body) VALUES ($1, $2) RETURNING id)
       SELECT pg_notify($3, '') FROM added`,
      [this.node.name, JSON.stringify(entry), this.node.channels.requests],
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
      this.node.warnings.warn({
        code: 'APOGEE_POSTGRES_RELAY',
        message: () => `Apogee: reading requests from other replicas failed (${errorMessage(error)}).`,
      });
      return false;
    }
    const row = rows[0];
    if (row === undefined) return false;
    const request = this.check(row.body, `${s}.requests (app "${name}", id ${row.id})`);
    if (request !== undefined) handler(request);
    return true;
  }

  /** The request an entry holds, or `undefined` (with a warning) when it is malformed or unsigned. */
  private check(body: unknown, key: string): RelayedRequest | undefined {
    const read = readStoredValue(relayEntryShape, body);
    if ('problem' in read) {
      this.node.warnings.skip(key, 'a relayed request', read.problem);
      return undefined;
    }
    const { signature, ...request } = read.value;
    const { secrets } = this.node;
    if (secrets.length > 0 && !verifyStored(secrets, 'relay', relayPayload(request), signature)) {
      const problem = signature === undefined ? 'it is not signed' : 'its signature does not match';
      this.node.warnings.refuse(key, `a "${request.kind}" request for task "${request.taskName}"`, problem);
      return undefined;
    }
    return request;
  }
}
