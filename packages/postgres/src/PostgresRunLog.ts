import { RecordRefusedError } from '@apogee/core';
import type {
  ApogeeLogger,
  OutputLine,
  RestoredTask,
  RestoreOptions,
  RunLog,
  RunQuery,
  RunRecord,
} from '@apogee/core';
import {
  decodeOutputLine,
  encodeOutputLine,
  encodeRecord,
  persistedOutputLineShape,
  readStoredValue,
  readRunRecordValue,
  returnPayload,
  signStored,
  type StoredRecord,
} from '@apogee/core/internal';
import type { PostgresNode } from './PostgresNode';
import { PostgresLogError } from './PostgresLogError';
import { readOpenRuns } from './readOpenRuns';
import { readTaskStates } from './readTaskStates';
import { RecordFollower } from './RecordFollower';

/** Retention of the shared log, in milliseconds and records (undefined: no limit). */
export interface PostgresRetention {
  readonly maxAge: number | undefined;
  readonly perTask: number | undefined;
}

const CRASH_MESSAGE = 'the process running it stopped before the run ended';

/**
 * The run log every replica of one app shares, in PostgreSQL: the same contract as `SqliteRunLog`
 * (records with filters and pages, task state and last return values restored at start and at
 * every takeover, runs left open by a dead process recorded as `crash`, retention by age and by
 * count). Each append is one call of the `append` function, so a record and its task's state
 * never disagree, and an end for a run that is not open is refused there: one end per run.
 */
export class PostgresRunLog implements RunLog {
  /** What `restore()` read of each task's last condition start: what the fence claims against. */
  readonly lastStarts = new Map<string, string>();
  /**
   * The last append in flight. Appends are sent one after another, in the order they were made:
   * through a pool, a run's end could otherwise commit before its start and be refused.
   */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly node: PostgresNode,
    private readonly retention: PostgresRetention,
    private readonly now: () => number = () => Date.now(),
  ) {}

  append(record: RunRecord): Promise<void> {
    const next = this.tail.then(() => this.store(record));
    this.tail = next.catch(() => undefined);
    return next;
  }

  /** Stores lines of a run's output with one INSERT, in their order (see `RunLog.appendOutput`). */
  async appendOutput(runId: string, taskName: string, lines: readonly OutputLine[]): Promise<void> {
    try {
      await this.node.query(
        `INSERT INTO ${this.node.s}.run_output (app, run_id, line)
         SELECT $1, $2, line FROM unnest($3::jsonb[]) WITH ORDINALITY AS l(line, n) ORDER BY n`,
        [this.node.name, runId, lines.map((line) => JSON.stringify(encodeOutputLine(line)))],
      );
    } catch (error) {
      throw new PostgresLogError(
        this.node.name,
        `cannot store the output of run ${runId} of task "${taskName}"`,
        error,
      );
    }
  }

  /**
   * The output stored for run `runId`, oldest first (see `RunLog.output`). Each line is checked as
   * it is read: a malformed one is skipped with a warning naming its row.
   */
  async output(runId: string): Promise<OutputLine[]> {
    let rows: { id: string; line: unknown }[];
    try {
      rows = await this.node.query<{ id: string; line: unknown }>(
        `SELECT id, line FROM ${this.node.s}.run_output WHERE app = $1 AND run_id = $2 ORDER BY id`,
        [this.node.name, runId],
      );
    } catch (error) {
      throw new PostgresLogError(this.node.name, `cannot read the output of run ${runId}`, error);
    }
    return rows.flatMap((row) => {
      const read = readStoredValue(persistedOutputLineShape, row.line);
      if ('value' in read) return [decodeOutputLine(read.value)];
      this.node.warnings.skip(`${this.node.s}.run_output id ${row.id}`, 'an output line', read.problem);
      return [];
    });
  }

  /** From now on the warnings of this app's PostgreSQL parts go to `logger` (see `RunLog.useLogger`). */
  useLogger(logger: ApogeeLogger): void {
    this.node.warnings.useLogger(logger);
  }

  private async store(record: RunRecord): Promise<void> {
    let seq: string | undefined;
    try {
      const rows = await this.node.query<{ seq: string }>(
        `SELECT ${this.node.s}.append($1, $2, $3, $4, $5, $6) AS seq`,
        [
          this.node.name,
          this.signed(encodeRecord(record)),
          this.node.processId,
          ...this.limits(),
          this.node.channels.records,
        ],
      );
      seq = rows[0]?.seq;
    } catch (error) {
      throw new PostgresLogError(
        this.node.name,
        `cannot store a "${record.action}" record of task "${record.taskName}"`,
        error,
      );
    }
    if (seq === '-1') throw new RecordRefusedError(`PostgresRunLog("${this.node.name}")`, record);
  }

  async records(query: RunQuery = {}): Promise<RunRecord[]> {
    for (const key of ['limit', 'offset'] as const) {
      const value = query[key];
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw new RangeError(
          `PostgresRunLog("${this.node.name}"): records({ ${key} }) must be a whole number of at least 0, got ${String(value)}.`,
        );
      }
    }
    if (query.limit === 0) return [];
    const values: unknown[] = [this.node.name];
    let where = 'app = $1';
    if (query.taskName !== undefined) where += ` AND task = $${String(values.push(query.taskName))}`;
    if (query.action !== undefined) where += ` AND action = $${String(values.push(query.action))}`;
    if (query.before !== undefined) {
      // The cursor record's seq through records_run; a record no longer stored bounds by NULL: no rows.
      const runId = `$${String(values.push(query.before.runId))}`;
      const action = `$${String(values.push(query.before.action))}`;
      where += ` AND seq < (SELECT seq FROM ${this.node.s}.records WHERE app = $1 AND run_id = ${runId} AND action = ${action} ORDER BY seq DESC LIMIT 1)`;
    }
    const limit = query.limit === undefined ? '' : ` LIMIT $${String(values.push(query.limit))}`;
    const offset = ` OFFSET $${String(values.push(query.offset ?? 0))}`;
    let rows: { seq: string; record: unknown }[];
    try {
      // Newest first through the (app, [task,] [action,] seq) index, so a page costs its size.
      rows = await this.node.query(
        `SELECT seq, record FROM ${this.node.s}.records WHERE ${where} ORDER BY seq DESC${limit}${offset}`,
        values,
      );
    } catch (error) {
      throw new PostgresLogError(this.node.name, 'cannot read records', error);
    }
    const records: RunRecord[] = [];
    for (let i = rows.length - 1; i >= 0; i--) {
      const row = rows[i] as { seq: string; record: unknown };
      const read = readRunRecordValue(row.record);
      if ('value' in read) records.push(read.value);
      else this.node.warnings.skip(this.key(row.seq), 'a run record', read.problem);
    }
    return records;
  }

  /**
   * Marks runs whose process has no heartbeat any more as `crash`, then reads every task's state.
   * A run claimed or begun by a live process counts as the task's last run, so that a new leader
   * does not start again what the old one started moments before it lost the lease.
   */
  async restore(options: RestoreOptions = {}): Promise<RestoredTask[]> {
    try {
      await this.markCrashed(options.alive);
      const { s, name } = this.node;
      const [restored, open, lastStarts] = await Promise.all([
        readTaskStates(this.node),
        this.node.query<{ run_id: string; task: string; start_ms: string; recorded: boolean }>(
          `SELECT run_id, task, start_ms, recorded FROM ${s}.open_runs WHERE app = $1`,
          [name],
        ),
        this.node.query<{ task: string; run_id: string }>(
          `SELECT task, run_id FROM ${s}.last_starts WHERE app = $1`,
          [name],
        ),
      ]);
      this.lastStarts.clear();
      for (const row of lastStarts) this.lastStarts.set(row.task, row.run_id);
      readOpenRuns(open, restored);
      return [...restored.values()];
    } catch (error) {
      if (error instanceof PostgresLogError) throw error;
      throw new PostgresLogError(this.node.name, 'cannot restore task state', error);
    }
  }

  /**
   * Records open runs of processes without a heartbeat as `crash`; returns how many. Runs in
   * `alive` are left open: their ends will come.
   */
  async markCrashed(alive: ReadonlySet<string> = new Set()): Promise<number> {
    return (await this.sweepCrashed(alive)).length;
  }

  /**
   * Records as `crash` the open runs whose process has no live heartbeat, except those in
   * `alive`; returns their run ids (see `RunLog.sweepCrashed`). One indexed query finds them, so
   * a sweep while every owner lives costs one round trip; `mark_crashed` checks again under the
   * append lock, so a run is marked once.
   */
  async sweepCrashed(alive: ReadonlySet<string> = new Set()): Promise<string[]> {
    const { s, name } = this.node;
    const open = await this.node.query<{ run_id: string }>(
      `SELECT o.run_id FROM ${s}.open_runs o WHERE o.app = $1 AND NOT EXISTS
         (SELECT 1 FROM ${s}.processes p WHERE p.app = o.app AND p.id = o.process AND p.expires_at > now())`,
      [name],
    );
    const marked: string[] = [];
    for (const { run_id: runId } of open) {
      if (alive.has(runId)) continue;
      const rows = await this.node.query<{ r: number }>(
        `SELECT ${s}.mark_crashed($1, $2, $3, $4, $5, $6, $7) AS r`,
        [name, runId, this.node.processId, ...this.limits(), CRASH_MESSAGE, this.node.channels.records],
      );
      if (rows[0]?.r === 1) marked.push(runId);
    }
    return marked;
  }

  /** Stores a task's pause state, where every replica reads it (restored at takeover and start). */
  async setDisabled(taskName: string, disabled: boolean): Promise<void> {
    try {
      await this.node.query(
        `INSERT INTO ${this.node.s}.paused (app, task, disabled) VALUES ($1, $2, $3)
         ON CONFLICT (app, task) DO UPDATE SET disabled = excluded.disabled`,
        [this.node.name, taskName, disabled],
      );
    } catch (error) {
      throw new PostgresLogError(
        this.node.name,
        `cannot store that task "${taskName}" was ${disabled ? 'disabled' : 'enabled'}`,
        error,
      );
    }
  }

  /** Each task's stored pause state; see `RunLog.disabledTasks`. */
  async disabledTasks(): Promise<Map<string, boolean>> {
    try {
      const rows = await this.node.query<{ task: string; disabled: boolean }>(
        `SELECT task, disabled FROM ${this.node.s}.paused WHERE app = $1`,
        [this.node.name],
      );
      return new Map(rows.map((row) => [row.task, row.disabled]));
    } catch (error) {
      throw new PostgresLogError(this.node.name, 'cannot read pause states', error);
    }
  }

  /** Closes this log's connections once the appends in flight are stored; the next call reconnects, so the log stays readable. */
  async release(): Promise<void> {
    await this.tail;
    await this.node.close();
  }

  /**
   * Records other processes store, as they are stored: each append notifies, and a follower
   * reads every record after the last one it saw (so nothing is missed across a reconnection).
   */
  async watch(listener: (record: RunRecord) => void): Promise<() => void> {
    const follower = new RecordFollower(this.node, listener, (seq) => this.key(seq));
    return follower.start();
  }

  private key(seq: string): string {
    return `${this.node.s}.records (app "${this.node.name}", seq ${seq})`;
  }

  /** With a `secret`, a success record's return value carries its HMAC (see `readTaskStates`). */
  private signed(stored: StoredRecord): StoredRecord {
    if (this.node.secrets.length === 0 || stored.returnValue === undefined) return stored;
    const payload = returnPayload(stored.taskName, stored.returnValue);
    return { ...stored, returnSignature: signStored(this.node.secrets, 'return', payload) };
  }

  private limits(): [number, number] {
    const { maxAge, perTask } = this.retention;
    return [perTask ?? -1, maxAge === undefined ? -1 : this.now() - maxAge];
  }
}
