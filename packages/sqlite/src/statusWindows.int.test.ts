import { App, cron, daily, succeeded } from '@apogee/core';
import { runFor, useFakeClock } from '@apogee/test-utils';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteRunLog } from './index';

let dir: string;
const logs: SqliteRunLog[] = [];

useFakeClock(new Date('2026-05-04T07:00:00Z'));
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apogee-status-windows-'));
});
afterEach(() => {
  for (const log of logs.splice(0)) log.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a restricted status condition after a restart', () => {
  it('reads back a success inside the window that a later one outside it followed', async () => {
    const file = join(dir, 'runs.db');
    const first = new SqliteRunLog(file);
    logs.push(first);
    const before = new App({ log: first, config: { timezone: 'UTC' } });
    // Succeeds at 07:20 (inside 07:00-08:00) and at 09:00 (outside).
    before.task({ name: 'x', start: cron('20 7 * * *').or(cron('0 9 * * *')) }, () => undefined);
    await runFor(before, 2.5 * 3_600_000);

    const second = new SqliteRunLog(file);
    logs.push(second);
    const after = new App({ log: second, config: { timezone: 'UTC' } });
    after.task({ name: 'x' }, () => undefined);
    const ran: string[] = [];
    after.task(
      { name: 'watch', start: succeeded('x').today.between('07:00', '08:00').and(daily.after('09:30')) },
      () => void ran.push(new Date().toISOString()),
    );
    await runFor(after, 3_600_000);
    expect(ran).toEqual(['2026-05-04T09:30:00.000Z']);
  });
});
