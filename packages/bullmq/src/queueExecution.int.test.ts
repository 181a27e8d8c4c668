import { App, ManualLeadership, type RunRecord, type SchedulerEvent } from '@apogee/core';
import { bullmq } from './bullmq';
import { QueueTasks, REPORT } from './fixtures/queueTasks';
import { waitFor } from './fixtures/waitFor';
import { useRedisServer } from './fixtures/useRedisServer';

jest.setTimeout(120_000);

const server = useRedisServer();

let queueCount = 0;

/** A single-instance app (it leads) on a queue of its own; reports of its tasks collect in `reports`. */
async function startApp(): Promise<{
  app: App;
  events: SchedulerEvent[];
  reports: Record<string, unknown>[];
  stop: () => Promise<void>;
}> {
  queueCount++;
  const app = new App({
    leadership: new ManualLeadership(true),
    ...bullmq({ url: server.url, name: `single-${String(queueCount)}`, concurrency: 2 }),
  });
  const reports: Record<string, unknown>[] = [];
  app.container.register(REPORT, { useValue: (m: Record<string, unknown>) => reports.push(m) });
  app.register(QueueTasks);
  const events: SchedulerEvent[] = [];
  app.events.subscribe((e) => events.push(e));
  const done = app.run({ handleSignals: false });
  await waitFor('the scheduler to start', () => events.find((e) => e.type === 'schedulerStarted'));
  return {
    app,
    events,
    reports,
    stop: async () => {
      await app.shutdown();
      await done;
    },
  };
}

const ended = (app: App, taskName: string, count = 1): Promise<RunRecord[]> =>
  waitFor(`${String(count)} ended run(s) of ${taskName}`, async () => {
    const records = (await app.logs.records({ taskName })).filter((r) => r.action !== 'run');
    return records.length >= count ? records : undefined;
  });

describe("execution 'queue' on one instance", () => {
  it('runs the task on the worker with the arguments the leader resolved, Dates included, and records its return value', async () => {
    const { app, events, stop } = await startApp();
    try {
      const when = new Date('2031-05-06T07:08:09.000Z');
      app.session.get('greet').run({ who: 'queue', when });
      const [record] = await ended(app, 'greet');
      expect(record?.action).toBe('success');
      expect(record?.returnValue).toEqual({ text: 'hello queue', pid: process.pid, year: 2031, when });
      expect((record?.returnValue as { when: unknown }).when).toBeInstanceOf(Date);
      const types = events.filter((e) => 'taskName' in e && e.taskName === 'greet').map((e) => e.type);
      expect(types).toEqual(['taskStarted', 'taskSucceeded']);
      // follow starts after greet's success and gets its return value through @Return.
      const [follow] = await ended(app, 'follow');
      expect(follow?.returnValue).toBe('hello queue!');
    } finally {
      await stop();
    }
  });

  it('records a failure with the error name, message, code and stack of the task, and an inaction as inaction', async () => {
    const { app, stop } = await startApp();
    try {
      app.session.get('broken').run();
      app.session.get('idle').run();
      const [fail] = await ended(app, 'broken');
      expect(fail?.action).toBe('fail');
      const error = fail?.error as Error & { code?: string };
      expect(error.name).toBe('RangeError');
      expect(error.message).toBe('the value is out of range');
      expect(error.code).toBe('E_RANGE');
      expect(error.stack).toContain('queueTasks');
      const [idle] = await ended(app, 'idle');
      expect(idle?.action).toBe('inaction');
    } finally {
      await stop();
    }
  });

  it('fails a run whose argument or return value is not JSON with a SerializationError naming task and key', async () => {
    const { app, stop } = await startApp();
    try {
      app.session.get('bigint').run();
      app.session.get('badReturn').run();
      const [arg] = await ended(app, 'bigint');
      expect(arg?.action).toBe('fail');
      expect(arg?.error).toMatchObject({
        name: 'SerializationError',
        code: 'NOT_SERIALIZABLE',
        key: 'amount',
      });
      expect((arg?.error as Error).message).toContain(
        'Task "bigint": parameter "amount" cannot be sent to its queue job',
      );
      const [ret] = await ended(app, 'badReturn');
      expect(ret?.action).toBe('fail');
      expect((ret?.error as Error).message).toContain('return value.at is an instance of Map');
    } finally {
      await stop();
    }
  });

  it('aborts the signal of a run on terminate() and records terminate, whatever the task then throws', async () => {
    const { app, reports, stop } = await startApp();
    try {
      const task = app.session.get('cooperative');
      task.run();
      await waitFor('the run to start on the worker', () => reports.find((r) => r.event === 'started'));
      task.terminate();
      const [record] = await ended(app, 'cooperative');
      expect(record?.action).toBe('terminate');
      await waitFor('the task to see its signal aborted', () => reports.find((r) => r.event === 'aborted'));
      // The task's own error after the abort ends its job; it is not recorded a second time.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect((await app.logs.records({ taskName: 'cooperative' })).map((r) => r.action)).toEqual([
        'run',
        'terminate',
      ]);
    } finally {
      await stop();
    }
  });

  it('counts the timeout from the start on the worker and aborts the run there', async () => {
    const { app, reports, stop } = await startApp();
    try {
      app.session.get('limited').run();
      const [record] = await ended(app, 'limited');
      expect(record?.action).toBe('terminate');
      expect(record?.error).toMatchObject({ name: 'TaskTimeoutError' });
      expect(record?.runtime).toBeGreaterThanOrEqual(1000);
      await waitFor('the task to see its signal aborted', () =>
        reports.find((r) => r.task === 'limited' && r.event === 'aborted'),
      );
    } finally {
      await stop();
    }
  });

  it('treats a job waiting in the queue as running: no second run without multilaunch', async () => {
    const { app, stop } = await startApp();
    try {
      const greet = app.session.get('greet');
      greet.run({ who: 'a' });
      greet.run({ who: 'b' });
      const records = await ended(app, 'greet', 2);
      const all = await app.logs.records({ taskName: 'greet' });
      // Each run ends before the next starts.
      expect(all.map((r) => r.action)).toEqual(['run', 'success', 'run', 'success']);
      expect(records.map((r) => (r.returnValue as { text: string }).text)).toEqual(['hello a', 'hello b']);
    } finally {
      await stop();
    }
  });

  it('lets a graceful shutdown drain the worker: a run in progress ends and is recorded', async () => {
    const { app, reports, stop } = await startApp();
    app.session.get('hold').run({ ms: 1500, tag: 'draining' });
    await waitFor('the run to start', () => reports.find((r) => r.tag === 'draining'));
    await stop();
    const records = await app.logs.records({ taskName: 'hold' });
    expect(records.map((r) => r.action)).toEqual(['run', 'success']);
    expect(records[1]?.returnValue).toEqual({ pid: process.pid, tag: 'draining' });
  });

  it('takes higher-priority runs first from the queue', async () => {
    queueCount++;
    const app = new App({
      leadership: new ManualLeadership(true),
      ...bullmq({ url: server.url, name: `single-${String(queueCount)}`, concurrency: 1 }),
    });
    const order: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    app.task({ name: 'blocker', execution: 'queue' }, () => gate);
    for (const [name, priority] of [
      ['low', -5],
      ['middle', 0],
      ['high', 7],
    ] as const)
      app.task({ name, execution: 'queue', priority }, () => {
        order.push(name);
      });
    const done = app.run({ handleSignals: false });
    try {
      app.session.get('blocker').run();
      await waitFor('the blocker to hold the only worker slot', async () =>
        (await app.logs.records({ taskName: 'blocker' })).length > 0 ? true : undefined,
      );
      // Queued in the worst order, one scheduler pass apart (within a pass the scheduler itself
      // orders by priority); each waits in the queue until the blocker lets go.
      for (const name of ['low', 'middle', 'high']) {
        app.session.get(name).run();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      release();
      await waitFor('three runs', () => (order.length === 3 ? order : undefined));
      expect(order).toEqual(['high', 'middle', 'low']);
    } finally {
      await app.shutdown();
      await done;
    }
  });
});
