import { start, useFakeClock } from '@apogee/test-utils';
import {
  App,
  ManualLeadership,
  MemoryRunLog,
  cron,
  type OutputLine,
  type RestoredTask,
  type RunLog,
  type RunQuery,
  type RunRecord,
} from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

/**
 * A shared log stand-in: it restores each task's last start, as Redis or PostgreSQL would, and
 * tells its watchers of the records another process (`other`) stores.
 */
class SharedLog implements RunLog {
  private readonly memory = new MemoryRunLog();
  private readonly watchers = new Set<(record: RunRecord) => void>();
  append(record: RunRecord): void {
    this.memory.append(record);
  }
  /** Another process (the old leader) stores a start of `tick` due at `at`. */
  other(at: number): void {
    const record: RunRecord = {
      runId: `other-${String(at)}`,
      taskName: 'tick',
      action: 'run',
      created: new Date(at),
    };
    this.memory.append(record);
    this.memory.append({ ...record, action: 'success', created: new Date(at + 10) });
    for (const watcher of this.watchers) watcher(record);
  }
  records(query?: RunQuery): Promise<RunRecord[]> {
    return this.memory.records(query);
  }
  appendOutput(runId: string, taskName: string, lines: readonly OutputLine[]): void {
    this.memory.appendOutput(runId, taskName, lines);
  }
  output(runId: string): Promise<OutputLine[]> {
    return this.memory.output(runId);
  }
  async restore(): Promise<RestoredTask[]> {
    const [last] = await this.memory.records({ taskName: 'tick', action: 'run', limit: 1 });
    if (last === undefined) return [];
    return [
      {
        taskName: 'tick',
        status: 'success',
        last: { run: { at: last.created, sequence: 1 } },
        consecutiveFails: 0,
      },
    ];
  }
  watch(listener: (record: RunRecord) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }
}

/** The due second (`scheduledAt`, else its start) of each start of `tick` this app made. */
const dueSeconds = async (app: App): Promise<string[]> =>
  (await app.logs.records({ taskName: 'tick', action: 'run' }))
    .filter((r) => !r.runId.startsWith('other-'))
    .map((r) => (r.scheduledAt ?? r.created).toISOString().slice(17, 19))
    .sort();

describe('the failover gap (catchup: none)', () => {
  it('is started by a standby that saw the old leader run: each gap second once, with its @ScheduledAt()', async () => {
    const log = new SharedLog();
    const leadership = new ManualLeadership(false);
    const app = new App({ log, leadership, config: { timezone: 'UTC', logLevel: 'silent' } });
    app.task({ name: 'tick', start: cron('* * * * * *') }, () => undefined);
    const running = await start(app);
    for (let s = 0; s < 3; s++) {
      log.other(Date.parse('2026-05-04T08:00:00Z') + s * 1000 + 5);
      await jest.advanceTimersByTimeAsync(1000);
    }
    // The old leader died after its 08:00:02 start; this one takes over at 08:00:05.5.
    await jest.advanceTimersByTimeAsync(2_500);
    leadership.set(true);
    await jest.advanceTimersByTimeAsync(2_000);
    await running.stop();
    expect(await dueSeconds(app)).toEqual(['03', '04', '05', '06', '07']);
  });

  it('is not started by a process that saw no leader: a restart after downtime catches up as catchup says', async () => {
    const log = new SharedLog();
    log.other(Date.parse('2026-05-04T08:00:02.005Z'));
    jest.setSystemTime(new Date('2026-05-04T08:00:05.500Z'));
    const leadership = new ManualLeadership(false);
    const app = new App({ log, leadership, config: { timezone: 'UTC', logLevel: 'silent' } });
    app.task({ name: 'tick', start: cron('* * * * * *') }, () => undefined);
    const running = await start(app);
    leadership.set(true);
    await jest.advanceTimersByTimeAsync(1_000);
    await running.stop();
    expect(await dueSeconds(app)).toEqual(['05', '06']);
  });
});
