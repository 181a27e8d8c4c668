import { start, useFakeClock } from '@apogee/test-utils';
import {
  App,
  daily,
  every,
  ManualLeadership,
  MemoryRunLog,
  type RestoredTask,
  type RunRecord,
} from '../index';

const T0 = new Date('2026-05-04T08:00:00Z');

useFakeClock(T0);

/** A memory log whose `restore()` says what another process did: `report` ran at 07:00 today. */
class SharedLog extends MemoryRunLog {
  restores = 0;
  restore(): Promise<RestoredTask[]> {
    this.restores++;
    const at = new Date('2026-05-04T07:00:00Z');
    return Promise.resolve([
      {
        taskName: 'report',
        status: 'success',
        last: { run: { at, sequence: 1 }, success: { at, sequence: 2 } },
        consecutiveFails: 0,
        returnValue: { value: 'from the old leader' },
      },
    ]);
  }
}

describe('gaining and losing the leadership', () => {
  it('restores state before it emits leadershipAcquired, so a daily task that ran today on the old leader does not run again', async () => {
    const leadership = new ManualLeadership(false);
    const log = new SharedLog();
    const app = new App({ leadership, log });
    app.task({ name: 'report', start: daily }, () => 'here');
    app.task({ name: 'tick', start: every('1 hour') }, () => undefined);
    const running = await start(app);
    expect(log.restores).toBe(1);
    leadership.set(true);
    await running.advance(0);
    expect(log.restores).toBe(2);
    expect(app.isLeader).toBe(true);
    expect(app.session.returns.get('report')).toBe('from the old leader');
    leadership.set(false, 'lease expired');
    await running.advance(3 * 3_600_000);
    await running.stop();
    expect(running.types()).toEqual([
      'schedulerStarted',
      'leadershipAcquired',
      'taskStarted:tick',
      'taskSucceeded:tick',
      'leadershipLost',
      'schedulerStopped',
    ]);
    expect(running.events.find((e) => e.type === 'leadershipLost')).toMatchObject({
      reason: 'lease expired',
    });
    const runs = (await app.logs.records({ action: 'run' })).map((r: RunRecord) => r.taskName);
    expect(runs).toEqual(['tick']);
  });

  it('emits no leadership event without a leadership, and leads', async () => {
    const app = new App();
    app.task({ name: 'tick', start: every('1 hour') }, () => undefined);
    expect(app.isLeader).toBe(true);
    const running = await start(app);
    await running.stop();
    expect(running.types()).toEqual([
      'schedulerStarted',
      'taskStarted:tick',
      'taskSucceeded:tick',
      'schedulerStopped',
    ]);
  });

  it('opens only after the restore that followed the latest gain', async () => {
    const leadership = new ManualLeadership(false);
    const app = new App({ leadership, log: new SharedLog() });
    let runs = 0;
    app.task({ name: 'tick', start: every('1 second') }, () => runs++);
    const running = await start(app);
    leadership.set(true);
    leadership.set(false);
    await running.advance(5_000);
    expect(app.isLeader).toBe(false);
    expect(runs).toBe(0);
    await running.stop();
    expect(running.types()).toEqual(['schedulerStarted', 'schedulerStopped']);
  });
});
