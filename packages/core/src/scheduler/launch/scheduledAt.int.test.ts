import { start } from '@apogee/test-utils';
import { App, ScheduledAt, cron, Task } from '../../index';

const T0 = Date.parse('2026-05-04T12:00:00Z');
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Jobs {
  readonly seen: string[] = [];

  @Task({ start: cron('* * * * *') })
  async slot(@ScheduledAt() at: Date): Promise<void> {
    this.seen.push(`${String(Date.now() - T0)} for ${String(at.getTime() - T0)}`);
    await sleep(90_000);
  }
}

describe('@ScheduledAt()', () => {
  it('gives a cron run its slot even when it began late, and a batch the moment it was requested', async () => {
    const app = new App();
    const jobs = new Jobs();
    app.container.register(Jobs, { useValue: jobs });
    app.register(Jobs);
    const running = await start(app);
    await running.advance(10_000);
    app.session.get('slot').run();
    await running.advance(200_000);
    await running.stop();
    // 0: the 12:00 slot. 90 s: the batch asked for at 10 s (batches go first). 180 s: the 12:03 slot.
    expect(jobs.seen).toEqual(['0 for 0', '90000 for 10000', '180000 for 180000']);
    const records = await app.logs.records({ taskName: 'slot', action: 'run' });
    // On the record only where it differs from the start.
    expect(records.map((r) => r.scheduledAt?.getTime())).toEqual([undefined, T0 + 10_000, undefined]);
  });
});
