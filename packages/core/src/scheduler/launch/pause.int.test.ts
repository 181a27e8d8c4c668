import { start } from '@apogee/test-utils';
import { App, MemoryRunLog, every } from '../../index';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-05-04T12:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

const fail = (): never => {
  throw new Error('down');
};
const runs = async (app: App, name: string): Promise<number> =>
  (await app.logs.records({ taskName: name, action: 'run' })).length;

describe('pause', () => {
  it('disables a task after pauseAfterFailures failures in a row and emits taskPaused once', async () => {
    const app = new App();
    const task = app.task({ name: 'flaky', start: every('1 second'), pauseAfterFailures: 3 }, fail);
    const running = await start(app);
    await running.advance(10_000);
    await running.stop();
    expect(await runs(app, 'flaky')).toBe(3);
    expect(task.disabled).toBe(true);
    const paused = running.events.filter((e) => e.type === 'taskPaused');
    expect(paused).toEqual([
      { type: 'taskPaused', taskName: 'flaky', at: new Date('2026-05-04T12:00:02Z'), failures: 3 },
    ]);
    expect(running.types().slice(-3)).toEqual(['taskFailed:flaky', 'taskPaused:flaky', 'schedulerStopped']);
  });

  it('counts failures in a row only: a success starts the count again', async () => {
    const app = new App({ config: { pauseAfterFailures: 2 } });
    let n = 0;
    const task = app.task({ name: 'every-other', start: every('1 second') }, () => {
      if (n++ % 2 === 0) fail();
    });
    const running = await start(app);
    await running.advance(10_000);
    await running.stop();
    expect(task.disabled).toBe(false);
    expect(await runs(app, 'every-other')).toBe(11);
  });

  it('enable() lets it run again and resets the count; disable() stops condition starts, batches still run', async () => {
    const app = new App();
    const task = app.task({ name: 'flaky', start: every('1 second'), pauseAfterFailures: 2 }, fail);
    const running = await start(app);
    await running.advance(5000);
    expect(await runs(app, 'flaky')).toBe(2);
    task.enable();
    await running.advance(1500);
    // Two more failures before it pauses again: the count started from zero.
    expect(await runs(app, 'flaky')).toBe(4);
    expect(task.disabled).toBe(true);
    task.run();
    await running.advance(10);
    expect(await runs(app, 'flaky')).toBe(5);
    await running.stop();
    expect(running.events.filter((e) => e.type === 'taskPaused')).toHaveLength(2);
  });

  it('stores disable() and the disabled setter in the run log; a stored state wins over the option in code', async () => {
    const log = new MemoryRunLog();
    const first = new App({ log });
    const a = first.task({ name: 'a', start: every('1 second') }, () => undefined);
    const b = first.task({ name: 'b', start: every('1 second'), disabled: true }, () => undefined);
    a.disable();
    b.disabled = false;
    expect(log.disabledTasks()).toEqual(
      new Map([
        ['a', true],
        ['b', false],
      ]),
    );
    // The same tasks in a new app on the same log: the stored states, not the options, hold.
    const second = new App({ log });
    const a2 = second.task({ name: 'a', start: every('1 second') }, () => undefined);
    const b2 = second.task({ name: 'b', start: every('1 second'), disabled: true }, () => undefined);
    const running = await start(second);
    await running.advance(1500);
    await running.stop();
    expect([a2.disabled, b2.disabled]).toEqual([true, false]);
    expect(await runs(second, 'a')).toBe(0);
    expect(await runs(second, 'b')).toBe(2);
  });
});
