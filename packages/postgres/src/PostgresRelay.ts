import { QueueFullError, type RelayedRequest, type RequestRelay } from '@apogee/core';
import {
  errorMessage,
  readStoredValue,
  relayEntry,
  relayEntryShape,
  relayPayload,
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
 *
 * A `run` request is bounded by its task's `maxBatches` (the `relay_run` function): inserted only
 * while the leader's waiting runs of the task (the `waiting` table) plus the task's request rows
 * stay below the bound. The leader marks a row taken (it still counts), queues it, then deletes
 * it in the statement that writes the task's new queue count, so a request is counted all along.
 * The counts are written one after another in the order the scheduler made them, each only while
 * this process holds the lease. A new leader rewrites the table from its own queues and deletes
 * the rows a former leader took and never finished (lost, as before, never doubled).
 */
export class PostgresRelay implements RequestRelay {
  /** Between `serve()` and what stops it: counts are written only then. */
  private serving = false;

  constructor(
    private readonly node: PostgresNode,
    private readonly lease: PostgresLease,
  ) {}

  /** The count writes, one after another in the order they were asked (see the class's doc). */
  private writes: Promise<unknown> = Promise.resolve();

  async forward(request: RelayedRequest): Promise<void> {
    const entry = relayEntry(request, this.node.secrets);
    if (request.kind === 'run' && request.maxBatches !== undefined) {
      await this.forwardRun(request.taskName, entry, request.maxBatches);
      return;
    }
    await this.node.query(
      `WITH added AS (INSERT INTO ${this.node.s}.requests (app, body) VALUES ($1, $2) RETURNING id)
       SELECT pg_notify($3, '') FROM added`,
      [this.node.name, JSON.stringify(entry), this.node.channels.requests],
    );
  }

  /** A run request, inserted only within its task's bound (see the class's doc). */
  private async forwardRun(task: string, entry: object, maxBatches: number): Promise<void> {
    const { s, name, channels } = this.node;
    const [row] = await this.node.query<{ o_accepted: boolean; o_waiting: number | null; o_transit: string }>(
      `SELECT * FROM ${s}.relay_run($1, $2, $3, $4, $5)`,
      [name, task, JSON.stringify(entry), maxBatches, channels.requests],
    );
    if (row === undefined || row.o_accepted) return;
    let waiting = row.o_waiting ?? 0;
    if (waiting < 0) {
      this.node.warnings.skip(
        `${s}.waiting (app "${name}", task "${task}")`,
        'a count of runs',
        `${String(waiting)} is negative; read as 0`,
      );
      waiting = 0;
    }
    throw new QueueFullError(task, waiting + Number(row.o_transit), maxBatches);
  }

  publishWaiting(changes: ReadonlyMap<string, number>): void {
    // Not serving (shutting down): the next leader rewrites the counts when it takes over.
    if (!this.serving) return;
    const token = this.lease.token;
    if (token === undefined) return;
    const { s, name } = this.node;
    const tasks = [...changes.keys()];
    const counts = [...changes.values()];
    // Zero removes the row: a task without waiting runs keeps none.
    this.write(
      `WITH lease AS (SELECT 1 FROM ${s}.leases WHERE app = $1 AND token = $2 AND expires_at > now()),
         c AS (SELECT * FROM unnest($3::text[], $4::int[]) AS c(task, count) WHERE EXISTS (SELECT 1 FROM lease)),
         gone AS (DELETE FROM ${s}.waiting w USING c WHERE w.app = $1 AND w.task = c.task AND c.count = 0)
       INSERT INTO ${s}.waiting (app, task, count) SELECT $1, task, count FROM c WHERE count > 0
       ON CONFLICT (app, task) DO UPDATE SET count = excluded.count`,
      [name, token, tasks, counts],
    );
  }

  serve(
    handler: (request: RelayedRequest) => number | undefined,
    waiting?: () => ReadonlyMap<string, number>,
  ): () => void {
    let stopped = false;
    this.serving = true;
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
    let rewrittenFor: string | undefined;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        const token = this.lease.token;
        let taken = false;
        if (
          token !== undefined &&
          token !== rewrittenFor &&
          (await this.takeOver(token, waiting?.() ?? new Map()))
        )
          rewrittenFor = token;
        if (token !== undefined && token === rewrittenFor) taken = await this.takeOne(token, handler);
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
      this.serving = false;
      wake?.();
      unlisten?.();
    };
  }

  /**
   * A new leader's view: the `waiting` table rewritten from this process's queues, and the rows a
   * former leader took and never finished deleted (lost with it). False (with a warning) if it failed.
   */
  private async takeOver(token: string, waiting: ReadonlyMap<string, number>): Promise<boolean> {
    const { s, name } = this.node;
    try {
      await this.node.query(
        `WITH ok AS (SELECT 1 FROM ${s}.leases WHERE app = $1 AND token = $2 AND expires_at > now()),
           lost AS (DELETE FROM ${s}.requests WHERE app = $1 AND taken IS NOT NULL AND taken <> $2 AND EXISTS (SELECT 1 FROM ok)),
           stale AS (DELETE FROM ${s}.waiting WHERE app = $1 AND NOT (task = ANY($3::text[])) AND EXISTS (SELECT 1 FROM ok))
         INSERT INTO ${s}.waiting (app, task, count)
           SELECT $1, task, count FROM unnest($3::text[], $4::int[]) AS c(task, count) WHERE EXISTS (SELECT 1 FROM ok)
         ON CONFLICT (app, task) DO UPDATE SET count = excluded.count`,
        [name, token, [...waiting.keys()], [...waiting.values()]],
      );
      return true;
    } catch (error) {
      this.writeFailed(error);
      return false;
    }
  }

  /** Takes the oldest request, if this process still holds the lease; true if there was one. */
  private async takeOne(
    token: string,
    handler: (request: RelayedRequest) => number | undefined,
  ): Promise<boolean> {
    const { s, name } = this.node;
    let rows: { id: string; body: unknown; task: string | null }[];
    try {
      // Marked taken, not deleted: a run's row still counts against its task's bound until
      // `finish` deletes it along with the task's new queue count.
      rows = await this.node.query(
        `UPDATE ${s}.requests SET taken = $2 WHERE id = (
           SELECT r.id FROM ${s}.requests r WHERE r.app = $1 AND r.taken IS NULL
             AND EXISTS (SELECT 1 FROM ${s}.leases l WHERE l.app = $1 AND l.token = $2 AND l.expires_at > now())
           ORDER BY r.id FOR UPDATE SKIP LOCKED LIMIT 1)
         RETURNING id, body, task`,
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
    const waiting = request === undefined ? undefined : handler(request);
    this.finish(row.id, token, row.task, waiting);
    return true;
  }

  /** Deletes a taken row, writing its task's queue count with it (while this process leads). */
  private finish(id: string, token: string, task: string | null, waiting: number | undefined): void {
    const { s, name } = this.node;
    if (task === null || waiting === undefined) {
      this.write(`DELETE FROM ${s}.requests WHERE app = $1 AND id = $2`, [name, id]);
      return;
    }
    this.write(
      `WITH gone AS (DELETE FROM ${s}.requests WHERE app = $1 AND id = $2),
         ok AS (SELECT 1 FROM ${s}.leases WHERE app = $1 AND token = $3 AND expires_at > now()),
         zero AS (DELETE FROM ${s}.waiting WHERE app = $1 AND task = $4 AND $5::int = 0 AND EXISTS (SELECT 1 FROM ok))
       INSERT INTO ${s}.waiting (app, task, count) SELECT $1, $4, $5 WHERE $5::int > 0 AND EXISTS (SELECT 1 FROM ok)
       ON CONFLICT (app, task) DO UPDATE SET count = excluded.count`,
      [name, id, token, task, waiting],
    );
  }

  /** Queues a write of the counts after the ones already asked for. */
  private write(text: string, values: readonly unknown[]): void {
    // Once serving stopped, what is still queued is dropped: the pool may be closing.
    const run = () => (this.serving ? this.node.query(text, values) : undefined);
    this.writes = this.writes.then(run).catch(this.writeFailed);
  }

  private readonly writeFailed = (error: unknown): void => {
    this.node.warnings.warn({
      code: 'APOGEE_POSTGRES_RELAY',
      message: () => `Apogee: writing the count of waiting runs failed (${errorMessage(error)}).`,
    });
  };

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
