import { start } from '@apogee/test-utils';
import { App, ScheduledAt, cron } from '../../index';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-05-04T11:59:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('jitter', () => {
  it('starts a time-triggered run after a drawn delay, keeping the instant it was due for', async () => {
    const draws: number[] = [];
    const app = new App({ random: () => (draws.push(0.5), 0.5), config: { timezone: 'UTC' } });
    const seen: string[] = [];
    const task = app.task(
      { name: 'report', start: cron('0 * * * *'), jitter: '10 minutes', inject: [ScheduledAt()] },
      (at: Date) => {
        seen.push(`${new Date().toISOString()} for ${at.toISOString()}`);
      },
    );
    const running = await start(app);
    // Before the instant: nextRun() is the instant itself, the start of the jitter window.
    expect(task.nextRun()).toEqual(new Date('2026-05-04T12:00:00Z'));
    await running.advance(61_000);
    // Due, delay drawn: nextRun() and upcoming() report the drawn instant.
    expect(task.nextRun()).toEqual(new Date('2026-05-04T12:05:00Z'));
    expect(app.session.upcoming(1)).toEqual([{ taskName: 'report', at: new Date('2026-05-04T12:05:00Z') }]);
    await running.advance(5 * 60_000);
    await running.stop();
    expect(seen).toEqual(['2026-05-04T12:05:00.000Z for 2026-05-04T12:00:00.000Z']);
    expect(draws).toHaveLength(1);
    const [record] = await app.logs.records({ taskName: 'report', action: 'run' });
    expect(record?.scheduledAt).toEqual(new Date('2026-05-04T12:00:00Z'));
  });

  it('does not delay batches, and config.jitter is the default', async () => {
    const app = new App({ random: () => 0.99, config: { jitter: '1 hour' } });
    const task = app.task({ name: 'manual' }, () => undefined);
    expect(task.definition.jitter).toBe(3_600_000);
    const running = await start(app);
    task.run();
    await running.advance(1);
    await running.stop();
    expect(await app.logs.records({ taskName: 'manual', action: 'run' })).toHaveLength(1);
  });
});
