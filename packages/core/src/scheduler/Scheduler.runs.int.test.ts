import { runFor, start } from '@apogee/test-utils';
import { App, Signal, Task, TaskInaction, daily, every, timeOfDay } from '../index';

const T0 = new Date('2026-05-04T08:00:00Z'); // a Monday
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('order', () => {
  it('starts higher priority first, and equal priorities in registration order', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    const order: string[] = [];
    for (const [name, priority] of [
      ['low', 0],
      ['high', 10],
      ['mid-a', 5],
      ['mid-b', 5],
    ] as const) {
      app.task({ name, priority, start: daily }, () => {
        order.push(name);
      });
    }
    await runFor(app, 10);
    expect(order).toEqual(['high', 'mid-a', 'mid-b', 'low']);
  });

  it('does not start a task while it runs, unless multilaunch', async () => {
    const app = new App();
    app.task({ name: 'single', start: every('1 second') }, () => sleep(3500));
    app.task({ name: 'multi', start: every('1 second'), multilaunch: true }, () => sleep(3500));
    await runFor(app, 4000);
    const single = await app.logs.records({ taskName: 'single', action: 'run' });
    const multi = await app.logs.records({ taskName: 'multi', action: 'run' });
    expect(single.map((r) => r.created.getTime() - T0.getTime())).toEqual([0, 3500]);
    expect(multi.map((r) => r.created.getTime() - T0.getTime())).toEqual([0, 1000, 2000, 3000, 4000]);
    expect(new Set(multi.map((r) => r.runId)).size).toBe(5);
  });

  it("blocks the loop for 'main' execution until the run ends", async () => {
    const app = new App();
    const starts: [string, number][] = [];
    app.task({ name: 'blocking', priority: 1, start: daily, execution: 'main' }, async () => {
      starts.push(['blocking', Date.now()]);
      await sleep(5000);
    });
    app.task({ name: 'other', start: daily }, () => {
      starts.push(['other', Date.now()]);
    });
    await runFor(app, 6000);
    expect(starts).toEqual([
      ['blocking', T0.getTime()],
      ['other', T0.getTime() + 5000],
    ]);
  });
});

describe('termination', () => {
  it('terminates running runs when the end condition becomes true', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    let aborted = false;
    class Jobs {
      @Task({ start: daily, end: timeOfDay.after('08:00:30') })
      async long(@Signal() signal: AbortSignal) {
        signal.addEventListener('abort', () => (aborted = true));
        await sleep(3_600_000);
      }
    }
    app.register(Jobs);
    const running = await runFor(app, 60_000);
    expect(aborted).toBe(true);
    const [record] = await app.logs.records({ taskName: 'long', action: 'terminate' });
    expect(record?.created).toEqual(new Date('2026-05-04T08:00:30Z'));
    expect(record?.error).toBe('its end condition became true');
    expect(running.types()).toEqual([
      'schedulerStarted',
      'taskStarted:long',
      'taskTerminated:long',
      'schedulerStopped',
    ]);
  });

  it('terminates with task.terminate(), and a timeout from the config applies to every task', async () => {
    const app = new App({ config: { timeout: '10 seconds' } });
    const a = app.task({ name: 'a', start: daily }, () => sleep(60_000));
    app.task({ name: 'b', start: daily }, () => sleep(60_000));
    const running = await start(app);
    await running.advance(1000);
    a.terminate();
    await running.advance(10_000);
    await running.stop();
    const terminated = await app.logs.records({ action: 'terminate' });
    expect(terminated.map((r) => [r.taskName, r.runtime])).toEqual([
      ['a', 1000],
      ['b', 10_000],
    ]);
    expect(String(terminated[1]?.error)).toContain('TaskTimeoutError');
  });
});

describe('failures', () => {
  it('records TaskInaction as inaction, which counts as done for daily', async () => {
    const app = new App();
    let calls = 0;
    app.task({ name: 'idle', start: daily }, () => {
      calls++;
      throw new TaskInaction('nothing new');
    });
    await runFor(app, 3_600_000);
    expect(calls).toBe(1);
    expect(app.session.get('idle').status).toBe('inaction');
  });

  it('treats a throwing condition as false, reports it, and goes on', async () => {
    const app = new App();
    let checks = 0;
    app.cond({ name: 'flaky' }, () => {
      checks++;
      if (checks === 1) throw new Error('sensor offline');
      return true;
    });
    app.task({ name: 'guarded', start: 'flaky & every 1 hour' }, () => 'ran');
    app.task({ name: 'other', start: every('1 second') }, () => undefined);
    const running = await runFor(app, 3000);
    const failed = running.events.find((e) => e.type === 'conditionFailed');
    expect(failed).toMatchObject({ type: 'conditionFailed', taskName: 'guarded' });
    expect(String((failed as { error: unknown }).error)).toContain('sensor offline');
    expect(app.session.returns.get('guarded')).toBe('ran');
    expect((await app.logs.records({ taskName: 'other', action: 'success' })).length).toBe(4);
  });
});

describe('batches', () => {
  it('gives each queued run the id that task.run() returned, in events and records', async () => {
    const app = new App();
    const task = app.task({ name: 'report' }, () => 'done');
    const running = await start(app);
    const first = task.run({ user: 'ada' });
    const second = task.run({ user: 'bob' });
    expect(first).not.toBe(second);
    await running.advance(10);
    await running.stop();
    const started = running.events.flatMap((e) => (e.type === 'taskStarted' ? [e.runId] : []));
    expect(started).toEqual([first, second]);
    const records = await app.logs.records({ taskName: 'report', action: 'success' });
    expect(records.map((r) => r.runId)).toEqual([first, second]);
  });
});
