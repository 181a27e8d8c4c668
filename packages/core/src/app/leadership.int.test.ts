import { start, useFakeClock } from '@apogee/test-utils';
import { App, ManualLeadership, every } from '../index';

useFakeClock(new Date('2026-05-04T08:00:00Z'));

describe('an app told whether it leads', () => {
  it('is the leader without a leadership, and starts runs', async () => {
    const app = new App();
    let runs = 0;
    app.task({ name: 'tick', start: every('1 second') }, () => runs++);
    expect(app.isLeader).toBe(true);
    const running = await start(app);
    await running.advance(2500);
    await running.stop();
    expect(runs).toBe(3);
  });

  it('starts nothing while it is not the leader, then schedules from the moment it becomes one', async () => {
    const leadership = new ManualLeadership(false);
    const app = new App({ leadership });
    let runs = 0;
    app.task({ name: 'tick', start: every('1 second') }, () => runs++);
    app.task({ name: 'hello', onStartup: true }, () => 'each process runs its own start-up tasks');
    const running = await start(app);
    await running.advance(5000);
    expect(app.isLeader).toBe(false);
    expect(runs).toBe(0);
    expect(app.session.get('hello').status).toBe('success');
    leadership.set(true);
    await running.advance(2500);
    expect(runs).toBe(3);
    leadership.set(false);
    await running.advance(5000);
    await running.stop();
    expect(runs).toBe(3);
  });
});
