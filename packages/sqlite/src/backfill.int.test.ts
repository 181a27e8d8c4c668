import { App, ScheduledAt, cron, type BackfillReport } from '@apogee/core';
import { start, useFakeClock } from '@apogee/test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRunLog } from './index';

const T0 = Date.parse('2026-05-04T12:00:30Z');
const HOUR = 3_600_000;
let dir: string;
let file: string;
const logs: SqliteRunLog[] = [];

useFakeClock(T0);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-backfill-'));
  file = join(dir, 'runs.db');
});
afterEach(() => {
  for (const log of logs.splice(0)) log.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * One "process" on the same file: an hourly task that fails its 09:00 instant the first time,
 * backfilled over the morning.
 */
async function backfillMorning(seen: string[]): Promise<BackfillReport> {
  const log = new SqliteRunLog(file);
  logs.push(log);
  const app = new App({ log, config: { timezone: 'UTC' } });
  app.task({ name: 'hourly', start: cron('0 * * * *'), inject: [ScheduledAt()] }, (at: Date) => {
    seen.push(at.toISOString().slice(11, 16));
    if (at.getUTCHours() === 9) throw new Error('no data for 09:00');
  });
  const running = await start(app);
  let settled = false;
  const report = app.session
    .get('hourly')
    .backfill({ from: '2026-05-04T06:00:00Z', to: '2026-05-04T12:00:00Z' })
    .finally(() => {
      settled = true;
    });
  while (!settled) await running.advance(100);
  await running.stop();
  return report;
}

describe('task.backfill() with a SQLite log', () => {
  it('runs nothing twice across restarts: the instants stored with a run are skipped', async () => {
    const first: string[] = [];
    expect(await backfillMorning(first)).toEqual({ instants: 6, started: 6, skipped: 0, failed: 1 });
    // The regular 12:00 run (started late in its slot), then the morning, oldest first.
    expect(first).toEqual(['12:00', '06:00', '07:00', '08:00', '09:00', '10:00', '11:00']);

    jest.setSystemTime(T0 + HOUR);
    const second: string[] = [];
    // A failed run is still a run of its instant: run it again with task.run() if it must be.
    expect(await backfillMorning(second)).toEqual({ instants: 6, started: 0, skipped: 6, failed: 0 });
    expect(second).toEqual(['13:00']);

    const reader = new SqliteRunLog(file);
    logs.push(reader);
    const stored = await reader.records({ taskName: 'hourly', action: 'run' });
    expect(stored.map((r) => r.scheduledAt?.toISOString().slice(11, 16))).toEqual([
      '12:00',
      '06:00',
      '07:00',
      '08:00',
      '09:00',
      '10:00',
      '11:00',
      '13:00',
    ]);
  });
});
