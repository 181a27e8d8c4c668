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
  errorMessage,
  persistedOutputLineShape,
  readRunRecord,
  readStored,
  returnPayload,
  shapes,
  signStored,
  type StoredRecord,
} from '@apogee/core/internal';
import { APPEND, CRASH } from './logScripts';
import { disconnect } from './disconnect';
import type { RedisNode } from './RedisNode';
import { RedisLogError } from './RedisLogError';
import { RecordRefusedError } from '@apogee/core';
import { readTaskStates } from './readTaskStates';
import { HeldState } from './HeldState';

/** Retention of the shared log, in milliseconds and records (undefined: no limit). */
export interface RedisRetention {
  readonly maxAge: number | undefined;
  readonly perTask: number | undefined;
}

/** A run begun or claimed and not ended, in the `open` hash (see `logScripts`). */
interface OpenRun {
  taskName: string;
  start: number;
  process: string;
  recorded: number;
}

const openRunShape = shapes.object<OpenRun>({
  taskName: shapes.text,
  start: shapes.finite,
  process: shapes.text,
  recorded: shapes.whole,
});

/** What the log's channel carries: the record as stored, who stored it, its seq and its task's state. */
const publishedShape = shapes.object<{ process: string; record: string; seq?: number; state?: string }>({
  process: shapes.text,
  record: shapes.text,
  seq: shapes.optional(shapes.whole),
  state: shapes.optional(shapes.text),
});

const CRASH_MESSAGE = 'the process running it stopped before the run ended';

/**
 * The run log every replica of one app shares, in Redis: the same contract as `SqliteRunLog`
 * (records with filters and pages, task state and last return values restored at start and at
 * every takeover, runs left open by a dead process recorded as `crash`, retention by age and by
 * count). Each append is one Lua script, so a record and its task's state never disagree, and
 * an end for a run that is not open is refused there: one end per run, whoever writes it.
 */
export class RedisRunLog implements RunLog {
  /** What `restore()` read of each task's last condition start: what the fence claims against. */
  readonly lastStarts = new Map<string, string>();
  /** The state this replica holds, written back should Redis be emptied under it (see `StoreEpoch`). */
  readonly held = new HeldState(this.lastStarts);

  constructor(
    private readonly node: RedisNode,
    private readonly retention: RedisRetention,
    private readonly now: () => number = () => Date.now(),
  ) {
    node.epoch.hold(this.held);
  }

  append(record: RunRecord): Promise<void> {
    const json = JSON.stringify(this.signed(encodeRecord(record)));
    return APPEND.run(this.node.client, [
      this.node.keys.prefix,
      json,
      this.node.processId,
      ...this.limits(),
    ]).then(
      (reply) => {
        if (reply === -1) throw new RecordRefusedError(`RedisRunLog("${this.node.keys.name}")`, record);
        const [seq, state] = reply as [number, string];
        this.held.stored(record, seq, state, this.node.processId);
      },
      (error: unknown) => {
        throw new RedisLogError(
          this.node.keys.name,
          `cannot store a "${record.action}" record of task "${record.taskName}"`,
          error,
        );
      },
    );
  }

  /** Stores lines of a run's output with one RPUSH (see `RunLog.appendOutput`). */
  appendOutput(runId: string, taskName: string, lines: readonly OutputLine[]): Promise<void> {
    const encoded = lines.map((line) => JSON.stringify(encodeOutputLine(line)));
    return this.node.client.rpush(this.outputKey(runId), ...encoded).then(
      () => undefined,
      (error: unknown) => {
        throw new RedisLogError(
          this.node.keys.name,
          `cannot store the output of run ${runId} of task "${taskName}"`,
          error,
        );
      },
    );
  }

  /**
   * The output stored for run `runId`, oldest first (see `RunLog.output`). Each line is checked as
   * it is read: a malformed one is skipped with a warning naming its key.
   */
  async output(runId: string): Promise<OutputLine[]> {
    const key = this.outputKey(runId);
    let raw: string[];
    try {
      raw = await this.node.client.lrange(key, 0, -1);
    } catch (error) {
      throw new RedisLogError(this.node.keys.name, `cannot read the output of run ${runId}`, error);
    }
    return raw.flatMap((item, i) => {
      const read = readStored(persistedOutputLineShape, item);
      if ('value' in read) return [decodeOutputLine(read.value)];
      this.node.warnings.skip(`${key}[${String(i)}]`, 'an output line', read.problem);
      return [];
    });
  }

  /** From now on the warnings of this app's Redis parts go to `logger` (see `RunLog.useLogger`). */
  useLogger(logger: ApogeeLogger): void {
    this.node.warnings.useLogger(logger);
    this.node.epoch.useLogger(logger);
  }

  async records(query: RunQuery = {}): Promise<RunRecord[]> {
    for (const key of ['limit', 'offset'] as const) {
      const value = query[key];
      if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
        throw new RangeError(
          `RedisRunLog("${this.node.keys.name}"): records({ ${key} }) must be a whole number of at least 0, got ${String(value)}.`,
        );
      }
    }
    const { prefix } = this.node.keys;
    const { taskName, action } = query;
    const index =
      taskName !== undefined && action !== undefined
        ? `idx:ta:${taskName}:${action}`
        : taskName !== undefined
          ? `idx:t:${taskName}`
          : action !== undefined
            ? `idx:a:${action}`
            : 'idx';
    const offset = query.offset ?? 0;
    if (query.limit === 0) return [];
    const stop = query.limit === undefined ? -1 : offset + query.limit - 1;
    const client = this.node.client;
    const seqs = await this.pageOf(prefix + index, query, offset, stop);
    if (seqs.length === 0) return [];
    const keys = seqs.map((s) => `${prefix}rec:${s}`);
    const raws = await client.mget(keys);
    const records: RunRecord[] = [];
    // Newest first from the index; a record trimmed between the two reads is left out, and so is
    // one that is not a record (with a warning): a page may then hold fewer than `limit`.
    for (let i = raws.length - 1; i >= 0; i--) {
      const raw = raws[i];
      if (raw === null || raw === undefined) continue;
      const read = readRunRecord(raw);
      if ('value' in read) records.push(read.value);
      else this.node.warnings.skip(keys[i] ?? prefix, 'a run record', read.problem);
    }
    return records;
  }

  /**
   * The seqs of one page, newest first: by rank from the newest, or with `before`, by score below
   * the cursor record's seq (found in the `pos` hash) with ZREVRANGEBYSCORE, so a page deep in the
   * history costs its size. A cursor record no longer stored gives an empty page.
   */
  private async pageOf(key: string, query: RunQuery, offset: number, stop: number): Promise<string[]> {
    const client = this.node.client;
    if (query.before === undefined) return client.zrevrange(key, offset, stop);
    const seq = await client.hget(
      `${this.node.keys.prefix}pos`,
      `${query.before.action}:${query.before.runId}`,
    );
    if (seq === null || !/^\d+$/.test(seq)) return [];
    return client.zrevrangebyscore(key, `(${seq}`, '-inf', 'LIMIT', offset, query.limit ?? -1);
  }

  /**
   * Marks runs whose process has no heartbeat any more as `crash`, then reads every task's state.
   * A run claimed or begun by a live process counts as the task's last run, so that a new leader
   * does not start again what the old one started moments before it lost the lease.
   */
  async restore(options: RestoreOptions = {}): Promise<RestoredTask[]> {
    try {
      await this.markCrashed(options.alive);
      const { prefix } = this.node.keys;
      const client = this.node.client;
      const [states, openRaw, lastStarts] = await Promise.all([
        client.hgetall(`${prefix}state`),
        client.hgetall(`${prefix}open`),
        client.hgetall(`${prefix}lastStart`),
      ]);
      const restored = await readTaskStates(this.node, states);
      const open = this.openRuns(openRaw);
      this.held.restored(states, openRaw);
      this.lastStarts.clear();
      for (const [task, runId] of Object.entries(lastStarts)) this.lastStarts.set(task, runId);
      for (const [, run] of open) {
        if (run.recorded === 1) continue;
        const task = restored.get(run.taskName);
        const lastRun = task?.last.run;
        if (lastRun !== undefined && lastRun.at.getTime() >= run.start) continue;
        // A claimed start not recorded yet: it happened, after everything stored.
        restored.set(run.taskName, {
          taskName: run.taskName,
          status: 'run',
          last: { ...task?.last, run: { at: new Date(run.start), sequence: Number.MAX_SAFE_INTEGER } },
          consecutiveFails: task?.consecutiveFails ?? 0,
          ...(task?.returnValue === undefined ? {} : { returnValue: task.returnValue }),
        });
      }
      return [...restored.values()];
    } catch (error) {
      if (error instanceof RedisLogError) throw error;
      throw new RedisLogError(this.node.keys.name, 'cannot restore task state', error);
    }
  }

  /**
   * Records open runs of processes without a heartbeat as `crash`; returns how many. Runs in
   * `alive` (queue jobs still executing on some instance) are left open: their ends will come.
   */
  async markCrashed(alive: ReadonlySet<string> = new Set()): Promise<number> {
    return (await this.sweepCrashed(alive)).length;
  }

  /**
   * Records as `crash` the open runs whose process has no heartbeat, except those in `alive`;
   * returns their run ids (see `RunLog.sweepCrashed`). One read of the open runs and one
   * `EXISTS` per owner find them, so a sweep while every owner lives costs two round trips; the
   * script that marks each checks the heartbeat again, so a run is marked once.
   */
  async sweepCrashed(alive: ReadonlySet<string> = new Set()): Promise<string[]> {
    const client = this.node.client;
    const { prefix } = this.node.keys;
    const open = this.openRuns(await client.hgetall(`${prefix}open`));
    const owners = [...new Set(open.map(([, run]) => run.process))];
    const gone = new Set<string>();
    if (owners.length > 0) {
      const exists = await client.pipeline(owners.map((p) => ['exists', `${prefix}proc:${p}`])).exec();
      owners.forEach((owner, i) => {
        if (exists?.[i]?.[1] === 0) gone.add(owner);
      });
    }
    const marked: string[] = [];
    for (const [runId, run] of open) {
      if (alive.has(runId) || !gone.has(run.process)) continue;
      const args = [prefix, runId, this.now(), this.node.processId, ...this.limits(), CRASH_MESSAGE];
      if ((await CRASH.run(client, args)) === 1) marked.push(runId);
    }
    return marked;
  }

  /**
   * Stores a task's pause state (`task.disable()` / `task.enable()`) where every replica reads
   * it: a new leader restores it at takeover, a restarted app at start.
   */
  async setDisabled(taskName: string, disabled: boolean): Promise<void> {
    try {
      await this.node.client.hset(`${this.node.keys.prefix}paused`, taskName, disabled ? '1' : '0');
      this.held.pause(taskName, disabled);
    } catch (error) {
      throw new RedisLogError(
        this.node.keys.name,
        `cannot store that task "${taskName}" was ${disabled ? 'disabled' : 'enabled'}`,
        error,
      );
    }
  }

  /** Each task's stored pause state; see `RunLog.disabledTasks`. */
  async disabledTasks(): Promise<Map<string, boolean>> {
    try {
      const stored = await this.node.client.hgetall(`${this.node.keys.prefix}paused`);
      const paused = new Map(Object.entries(stored).map(([task, flag]) => [task, flag === '1']));
      for (const [task, disabled] of paused) this.held.pause(task, disabled);
      return paused;
    } catch (error) {
      throw new RedisLogError(this.node.keys.name, 'cannot read pause states', error);
    }
  }

  /** Closes this log's connections; the next call reconnects, so the log stays readable. */
  async release(): Promise<void> {
    await this.node.close();
  }

  /**
   * Records other processes store, as they are stored (Redis pub/sub). Pub/sub keeps nothing for
   * a subscriber that is away: after a reconnection, once subscribed again, `missed` is called.
   */
  async watch(listener: (record: RunRecord) => void, missed?: () => void): Promise<() => void> {
    const subscriber = this.node.duplicate();
    const { channel } = this.node.keys;
    subscriber.on('message', (_channel: string, message: string) => {
      const published = readStored(publishedShape, message);
      if ('problem' in published) {
        this.node.warnings.skip(`channel ${channel}`, 'a published record', published.problem);
        return;
      }
      const { process, record, seq, state } = published.value;
      const read = readRunRecord(record);
      if ('problem' in read) {
        this.node.warnings.skip(`channel ${channel}`, 'a published record', read.problem);
        return;
      }
      if (seq !== undefined) this.held.stored(read.value, seq, state, process);
      if (process !== this.node.processId) listener(read.value);
    });
    let subscribed = false;
    subscriber.on('ready', () => {
      if (!subscribed) return;
      // ioredis subscribes again on its own; confirmed here before what was missed is read.
      subscriber.subscribe(channel).then(
        () => missed?.(),
        () => undefined,
      );
    });
    // Resolved once Redis confirmed the subscription, so nothing published after this is missed.
    await subscriber.subscribe(channel).then(
      () => {
        subscribed = true;
      },
      (error: unknown) => {
        this.node.warnings.warn({
          code: 'APOGEE_REDIS_WATCH',
          message: () =>
            `Apogee: this replica could not follow the shared log (${errorMessage(error)}); task states refresh at the next restore.`,
        });
      },
    );
    return () => {
      disconnect(subscriber);
    };
  }

  /** The runs in the `open` hash (as read) with their ids, each checked: a malformed entry is skipped with a warning. */
  private openRuns(open: Record<string, string>): [string, OpenRun][] {
    const key = `${this.node.keys.prefix}open`;
    return Object.entries(open).flatMap(([runId, raw]): [string, OpenRun][] => {
      const read = readStored(openRunShape, raw);
      if ('value' in read) return [[runId, read.value]];
      this.node.warnings.skip(`${key} field "${runId}"`, 'an open run', read.problem);
      return [];
    });
  }

  /** With a `secret`, the return value carries its HMAC: only a signed one reaches `@Return`. */
  private signed(stored: StoredRecord): StoredRecord {
    if (this.node.secrets.length === 0 || stored.returnValue === undefined) return stored;
    const payload = returnPayload(stored.taskName, stored.returnValue);
    return { ...stored, returnSignature: signStored(this.node.secrets, 'return', payload) };
  }

  private outputKey(runId: string): string {
    return `${this.node.keys.prefix}out:${runId}`;
  }

  private limits(): [number, number] {
    const { maxAge, perTask } = this.retention;
    return [perTask ?? -1, maxAge === undefined ? -1 : this.now() - maxAge];
  }
}
