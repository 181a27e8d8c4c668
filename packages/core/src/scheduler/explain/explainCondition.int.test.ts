import { start } from '@apogee/test-utils';
import {
  App,
  afterSuccess,
  cond,
  Condition,
  daily,
  every,
  fromParam,
  not,
  running,
  type Explanation,
} from '../../index';

const at = (iso: string) => new Date(iso);
beforeEach(() => {
  jest.useFakeTimers({ now: at('2026-11-30T07:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

/** The tree without dates, for comparing shapes. */
const shape = (e: Explanation): unknown => ({
  condition: e.condition,
  value: e.value,
  ...(e.reason === undefined ? {} : { reason: e.reason }),
  ...(e.next === undefined ? {} : { next: e.next.toISOString() }),
  children: e.children.map(shape),
});

describe('task.explain()', () => {
  it('works before app.run(): a period is one node, a dependency waits for the other task', () => {
    const app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'fetch', start: every('1 hour') }, () => undefined);
    app.task(
      { name: 'report', start: daily.between('08:00', '10:00').and(afterSuccess('fetch')) },
      () => undefined,
    );
    expect(shape(app.session.get('report').explain())).toEqual({
      condition: "daily between 08:00 and 10:00 & after task 'fetch' succeeded",
      value: false,
      children: [
        {
          condition: 'daily between 08:00 and 10:00',
          value: false,
          reason: 'outside its window now',
          next: '2026-11-30T08:00:00.000Z',
          children: [],
        },
        {
          condition: "after task 'fetch' succeeded",
          value: false,
          reason: 'fetch has not succeeded yet',
          children: [],
        },
      ],
    });
  });

  it('says a task without a start condition runs on request, as GET /tasks does', () => {
    const app = new App();
    app.task({ name: 'manual' }, () => undefined);
    expect(shape(app.session.get('manual').explain())).toEqual({
      condition: 'on request',
      value: false,
      reason: 'no start condition: it runs when asked to (task.run(), POST /tasks/:name/run, apogee run)',
      children: [],
    });
  });

  it('says a period already ran in this one, and when the next one opens', async () => {
    jest.setSystemTime(at('2026-11-30T08:00:02Z'));
    const app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'report', start: daily.between('08:00', '10:00') }, () => undefined);
    const run = await start(app);
    await run.advance(3_600_000);
    expect(shape(app.session.get('report').explain())).toEqual({
      condition: 'daily between 08:00 and 10:00',
      value: false,
      reason: 'already ran today at 08:00:02',
      next: '2026-12-01T08:00:00.000Z',
      children: [],
    });
    // The root's next instant is the task's next run.
    expect(app.session.get('report').explain().next).toEqual(app.session.get('report').nextRun());
    await run.stop();
  });

  it("says the other task last succeeded before this task's last run, and gives no next instant", async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'fetch', start: daily }, () => undefined);
    app.task({ name: 'load', start: afterSuccess('fetch') }, () => undefined);
    const run = await start(app);
    await run.advance(1000);
    expect(run.types()).toContain('taskSucceeded:load');
    const why = app.session.get('load').explain();
    expect(why).toEqual({
      condition: "after task 'fetch' succeeded",
      value: false,
      reason: "fetch last succeeded before this task's last run",
      children: [],
    });
    await run.stop();
  });

  it('shows what holds now without a next instant, and not(...) with its child', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'backup', start: daily }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 60_000));
    });
    app.task({ name: 'report', start: every('10 minutes').and(not(running('backup'))) }, () => undefined);
    const run = await start(app);
    await run.advance(1000);
    const why = app.session.get('report').explain();
    expect(shape(why)).toEqual({
      condition: "every 10 minutes & ~task 'backup' is running",
      value: false,
      children: [
        // True now (report never ran: backup held it back), so no next instant.
        { condition: 'every 10 minutes', value: true, children: [] },
        {
          condition: "~task 'backup' is running",
          value: false,
          children: [{ condition: "task 'backup' is running", value: true, children: [] }],
        },
      ],
    });
    await run.stop();
  });

  it("shows a custom condition's last answer instead of calling it", async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    let calls = 0;
    app.cond({ name: 'ready' }, () => {
      calls++;
      return false;
    });
    app.task({ name: 'import', start: cond('ready') }, () => undefined);
    expect(app.session.get('import').explain()).toEqual({
      condition: 'ready',
      value: false,
      reason: 'not checked yet (custom conditions are checked while the app runs)',
      children: [],
    });
    expect(calls).toBe(0);
    const run = await start(app);
    await run.advance(0);
    const seen = calls;
    expect(seen).toBeGreaterThan(0);
    expect(app.session.get('import').explain()).toEqual({
      condition: 'ready',
      value: false,
      reason: 'false when last checked, at 07:00',
      children: [],
    });
    expect(calls).toBe(seen);
    await run.stop();
  });
});

describe('task.explain() of fromParam', () => {
  it('shows the condition the session parameter holds now under the fromParam node', () => {
    const app = new App({ config: { timezone: 'UTC' }, params: { schedule: 'daily after 08:00' } });
    app.task({ name: 'report', start: fromParam('schedule') }, () => undefined);
    expect(shape(app.session.get('report').explain())).toEqual({
      condition: "fromParam('schedule')",
      value: false,
      next: '2026-11-30T08:00:00.000Z',
      children: [
        {
          condition: 'daily after 08:00',
          value: false,
          reason: 'outside its window now',
          next: '2026-11-30T08:00:00.000Z',
          children: [],
        },
      ],
    });
    app.params({ schedule: 'every 1 hour' });
    expect(
      app.session
        .get('report')
        .explain()
        .children.map((c) => [c.condition, c.value]),
    ).toEqual([['every 1 hour', true]]);
  });
});

describe('task.explain(), more reasons', () => {
  it('combines the parts of a junction that holds a custom condition, without calling it', () => {
    const app = new App({ config: { timezone: 'UTC' } });
    let calls = 0;
    app.cond({ name: 'ready' }, () => {
      calls++;
      return true;
    });
    app.task({ name: 'import', start: daily.or(cond('ready')) }, () => undefined);
    const why = app.session.get('import').explain();
    expect(shape(why)).toEqual({
      condition: 'daily | ready',
      value: true,
      children: [
        { condition: 'daily', value: true, reason: 'has not run today yet', children: [] },
        {
          condition: 'ready',
          value: false,
          reason: 'not checked yet (custom conditions are checked while the app runs)',
          children: [],
        },
      ],
    });
    expect(calls).toBe(0);
  });

  it('says a period task is running since its start', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'backup', start: daily }, () => new Promise((resolve) => setTimeout(resolve, 60_000)));
    const run = await start(app);
    const backup = app.session.get('backup').explain();
    expect(backup.reason).toBe('running today since 07:00');
    expect(backup.next).toEqual(new Date('2026-12-01T00:00:00Z'));
    await run.stop();
  });

  it('says a condition that throws threw, as the scheduler counts it false', () => {
    class Sensor extends Condition {
      evaluate(): never {
        throw new Error('sensor offline');
      }
      toString(): string {
        return 'sensor';
      }
    }
    const app = new App();
    app.task({ name: 'water', start: new Sensor() }, () => undefined);
    expect(app.session.get('water').explain()).toEqual({
      condition: 'sensor',
      value: false,
      reason: 'threw: sensor offline',
      children: [],
    });
  });
});
