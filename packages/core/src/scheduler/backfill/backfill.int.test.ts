import { start, type Running } from '@apogee/test-utils';
import {
  App,
  ApogeeError,
  type Condition,
  ConfigurationError,
  ScheduledAt,
  afterSuccess,
  cron,
  daily,
  every,
  fromParam,
  type ApogeeWarning,
  MemoryRunLog,
  type BackfillOptions,
  type BackfillReport,
  type FunctionTaskOptions,
} from '../../index';

// Hours of fake time pass in some tests: generous limits on a loaded machine.
jest.setTimeout(30_000);

const T0 = Date.parse('2026-05-04T12:00:00Z');
const HOUR = 3_600_000;
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const iso = (t: number | Date): string => new Date(t).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An app with one task that notes each run's `@ScheduledAt()` and takes `ms` of fake time. */
function appWith(options: Omit<FunctionTaskOptions, 'name'>, ms = 0, params = {}) {
  const seen: string[] = [];
  const app = new App({ config: { timezone: 'UTC' }, params });
  app.task({ name: 'job', inject: [ScheduledAt()], ...options }, async (at: Date) => {
    seen.push(iso(at));
    if (ms > 0) await sleep(ms);
    if (at.getUTCHours() === 9) throw new Error('the 09:00 data is broken');
  });
  return { app, seen };
}

/** Starts a backfill and lets fake time pass until it settles. */
async function backfill(
  app: App,
  running: Running,
  options: Parameters<App['session']['tasks'][number]['backfill']>[0],
): Promise<BackfillReport> {
  let settled = false;
  const report = app.session
    .get('job')
    .backfill(options)
    .finally(() => {
      settled = true;
    });
  // Reading the log takes a few turns of the event loop before the first run is queued.
  for (let turn = 0; turn < 5; turn++) await running.advance(0);
  for (let waited = 0; !settled && waited < 48 * HOUR; waited += 60_000) await running.advance(60_000);
  return report;
}

const scheduledOf = async (app: App): Promise<(string | undefined)[]> =>
  (await app.logs.records({ taskName: 'job', action: 'run' })).map(
    (r) => r.scheduledAt && iso(r.scheduledAt),
  );

describe('task.backfill()', () => {
  it('runs each cron instant of [from, to) once, oldest first, with @ScheduledAt() and RunRecord.scheduledAt', async () => {
    const { app, seen } = appWith({ start: cron('0 * * * *') });
    const running = await start(app);
    // The regular run of the 12:00 slot.
    expect(seen).toEqual([iso(T0)]);
    const report = await backfill(app, running, { from: new Date(T0 - 5 * HOUR), to: iso(T0) });
    expect(report).toEqual({ instants: 5, started: 5, skipped: 0, failed: 1 });
    const hours = ['07', '08', '09', '10', '11'].map((h) => `2026-05-04T${h}:00:00.000Z`);
    expect(seen).toEqual([iso(T0), ...hours]);
    expect(await scheduledOf(app)).toEqual([undefined, ...hours]);

    // Again, and over a wider range: only the instants without a run get one.
    // The 12:00 slot's regular run started on time (no scheduledAt): its start is its instant.
    await running.advance(60_000);
    const again = await backfill(app, running, { from: new Date(T0 - 7 * HOUR), to: new Date() });
    expect(again).toEqual({ instants: 8, started: 2, skipped: 6, failed: 0 });
    expect(seen.slice(6)).toEqual(['2026-05-04T05:00:00.000Z', '2026-05-04T06:00:00.000Z']);
    await running.stop();
  });

  it('reads the instants of every, a period and fromParam', async () => {
    const lastDay = T0 - 36 * HOUR + 1;
    const cases: [Condition, object, number, string[]][] = [
      // Counted from `from`.
      [every('2 hours'), {}, T0 - 5.5 * HOUR, ['06:30', '08:30', '10:30']],
      [daily.at('03:00'), {}, lastDay, ['2026-05-03T03:00', '2026-05-04T03:00']],
      [
        fromParam('schedule'),
        { schedule: 'daily at 03:00' },
        lastDay,
        ['2026-05-03T03:00', '2026-05-04T03:00'],
      ],
      // The 00:00 slot opened before `from`: not in the range.
      [
        fromParam('schedule'),
        { schedule: cron('30 */4 * * *') },
        T0 - 12 * HOUR + 1,
        ['00:30', '04:30', '08:30'],
      ],
    ];
    for (const [startCondition, params, from, expected] of cases) {
      jest.setSystemTime(T0);
      const { app, seen } = appWith({ start: startCondition }, 0, params);
      const running = await start(app);
      seen.length = 0;
      const report = await backfill(app, running, { from: new Date(from), to: new Date(T0 - HOUR) });
      const full = expected.map((e) => (e.length === 5 ? `2026-05-04T${e}:00.000Z` : `${e}:00.000Z`));
      expect({ condition: startCondition.toString(), seen }).toEqual({
        condition: startCondition.toString(),
        seen: full,
      });
      expect(report.started).toBe(expected.length);
      await running.stop();
    }
  });

  it('applies the task policies: up to concurrency runs at once with overlap allow, the timeout', async () => {
    const { app: yearly } = appWith({ start: cron('0 0 1 1 *') });
    // No instant in the range: nothing runs.
    const first = await start(yearly);
    const days = { from: new Date(T0 - 3 * 24 * HOUR), to: new Date(T0) };
    expect(await backfill(yearly, first, days)).toEqual({ instants: 0, started: 0, skipped: 0, failed: 0 });
    await first.stop();

    jest.setSystemTime(T0);
    const allowed = appWith({ start: cron('0 * * * *'), overlap: 'allow', timeout: '90 minutes' }, 2 * HOUR);
    const second = await start(allowed.app);
    const report = await backfill(allowed.app, second, {
      from: new Date(T0 - 4 * HOUR),
      to: new Date(T0),
      concurrency: 3,
    });
    // Each run outlives its 90-minute timeout: terminated, so failed.
    expect(report).toEqual({ instants: 4, started: 4, skipped: 0, failed: 4 });
    // Three at once (08:00 to 10:00 from 12:00 to their timeout at 13:30), then 11:00.
    const runs = await allowed.app.logs.records({ taskName: 'job', action: 'run' });
    const backfilled = runs.filter((r) => r.scheduledAt !== undefined);
    expect(backfilled.map((r) => [iso(r.scheduledAt as Date), iso(r.start as Date)])).toEqual([
      ['2026-05-04T08:00:00.000Z', iso(T0)],
      ['2026-05-04T09:00:00.000Z', iso(T0)],
      ['2026-05-04T10:00:00.000Z', iso(T0)],
      ['2026-05-04T11:00:00.000Z', iso(T0 + 1.5 * HOUR)],
    ]);
    const ends = await allowed.app.logs.records({ taskName: 'job', action: 'terminate' });
    expect(ends.map((r) => r.runtime)).toEqual(ends.map(() => 1.5 * HOUR));
    await second.stop();
  });

  it('runs one at a time with overlap skip, whatever the concurrency', async () => {
    const { app } = appWith({ start: cron('0 * * * *') }, 30 * 60_000);
    let parallel = 0;
    let peak = 0;
    app.events.subscribe((e) => {
      if (e.type === 'taskStarted') peak = Math.max(peak, ++parallel);
      else if (e.type === 'taskSucceeded' || e.type === 'taskFailed') parallel--;
    });
    const running = await start(app);
    await running.advance(31 * 60_000);
    const progress: string[] = [];
    const report = await backfill(app, running, {
      from: new Date(T0 - 3 * HOUR),
      to: new Date(T0),
      concurrency: 3,
      onProgress: (p) => progress.push(`${p.started}/${p.instants} ${p.failed} failed`),
    });
    expect(report).toEqual({ instants: 3, started: 3, skipped: 0, failed: 1 });
    // Once the instants are known, then as each run ends.
    expect(progress).toEqual(['0/3 0 failed', '1/3 1 failed', '2/3 1 failed', '3/3 1 failed']);
    expect(peak).toBe(1);
    // The 13:00 and 14:00 slots came while backfill runs were live (12:31 to 14:01): skipped.
    expect(app.session.get('job').skipped).toBe(2);
    expect((await scheduledOf(app)).slice(1)).toEqual([
      '2026-05-04T09:00:00.000Z',
      '2026-05-04T10:00:00.000Z',
      '2026-05-04T11:00:00.000Z',
    ]);
    await running.stop();
  });

  it('runs each instant once when overlapping backfills of one task start together', async () => {
    const { app, seen } = appWith({ start: cron('0 * * * *'), overlap: 'allow' }, 60_000);
    const running = await start(app);
    seen.length = 0;
    const task = app.session.get('job');
    // Started in one turn, before any of them has read the log.
    const reports = Promise.all([
      task.backfill({ from: new Date(T0 - 12 * HOUR), to: new Date(T0), concurrency: 4 }),
      task.backfill({ from: new Date(T0 - 12 * HOUR), to: new Date(T0), concurrency: 4 }),
      task.backfill({ from: new Date(T0 - 8 * HOUR), to: new Date(T0 - 2 * HOUR), concurrency: 4 }),
    ]);
    let settled = false;
    void reports.finally(() => {
      settled = true;
    });
    for (let waited = 0; !settled && waited < 6 * HOUR; waited += 60_000) await running.advance(60_000);
    const [first, second, third] = await reports;
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
    expect(first).toMatchObject({ instants: 12, started: 12, skipped: 0 });
    expect(second).toMatchObject({ instants: 12, started: 0, skipped: 12 });
    expect(third).toMatchObject({ instants: 6, started: 0, skipped: 6 });
    await running.stop();
  });

  it('warns through config.onWarning when the memory log cannot remember every run of the range', async () => {
    const warnings: ApogeeWarning[] = [];
    const app = new App({
      config: { timezone: 'UTC', onWarning: (w) => warnings.push(w) },
      log: new MemoryRunLog({ perTask: 10 }),
    });
    app.task({ name: 'job', start: cron('0 * * * *') }, () => undefined);
    const running = await start(app);
    // Five runs leave ten records: all kept, no warning.
    await backfill(app, running, { from: new Date(T0 - 5 * HOUR), to: new Date(T0) });
    expect(warnings).toEqual([]);
    await backfill(app, running, { from: new Date(T0 - 12 * HOUR), to: new Date(T0) });
    expect(warnings).toEqual([
      expect.objectContaining({ code: 'APOGEE_BACKFILL_BEYOND_LOG', taskName: 'job' }) as unknown,
    ]);
    expect(warnings[0]?.message).toContain('covers 12 instants, but the run log keeps 10 records per task');
    expect(warnings[0]?.message).toContain('remember only the last 5 runs');
    await running.stop();
  });

  it('refuses a task without a time schedule, naming it', async () => {
    const app = new App();
    app.task({ name: 'fetch', start: every('1 hour') }, () => undefined);
    app.task({ name: 'report', start: afterSuccess('fetch') }, () => undefined);
    app.task({ name: 'onRequest' }, () => undefined);
    const running = await start(app);
    for (const name of ['report', 'onRequest']) {
      const error = await app.session
        .get(name)
        .backfill({ from: new Date(T0 - HOUR), to: new Date(T0) })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error).toMatchObject({ taskName: name });
      expect((error as Error).message).toContain(`task.backfill() of task "${name}": its start condition`);
      // A task without a start runs on request, as GET /tasks says; `false` would not say so.
      if (name === 'onRequest') expect((error as Error).message).toContain('"on request" is not valid');
      expect((error as Error).message).toContain('Expected a time schedule');
    }
    await running.stop();
  });

  it('refuses bad ranges with clear errors', async () => {
    const { app } = appWith({ start: every('1 second') });
    const running = await start(app);
    const task = app.session.get('job');
    const problems: [Parameters<typeof task.backfill>[0], string][] = [
      [
        { from: 'yesterday', to: new Date(T0) },
        'task.backfill() of task "job": from: "yesterday" is not valid',
      ],
      [{ from: new Date(T0 - HOUR), to: new Date(Number.NaN) }, 'to: "Invalid Date" is not valid'],
      [{ from: new Date(T0), to: new Date(T0 - HOUR) }, 'Expected an instant before to'],
      [{ from: new Date(T0 - HOUR), to: new Date(T0 + HOUR) }, 'Expected an instant not after now'],
      [{ from: new Date(T0 - HOUR), to: new Date(T0), concurrency: 0 }, 'concurrency: 0 is not valid'],
      [{ from: new Date(T0 - 24 * HOUR), to: new Date(T0) }, 'at most 10000 instants'],
    ];
    for (const [options, message] of problems) {
      const error = await task.backfill(options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain(message);
    }
    // From JavaScript: no options at all.
    const none = await task.backfill(undefined as unknown as BackfillOptions).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(ConfigurationError);
    expect((none as Error).message).toContain('task.backfill() of task "job": undefined is not valid');
    expect((none as Error).message).toContain('Expected options { from, to, concurrency? }');
    await running.stop();
  });

  it('needs the app running, and rejects when it shuts down first, saying how far it got', async () => {
    const { app } = appWith({ start: cron('0 * * * *') }, HOUR);
    const early = await app.session
      .get('job')
      .backfill({ from: new Date(T0 - HOUR), to: new Date(T0) })
      .catch((e: unknown) => e);
    expect(early).toMatchObject({ code: 'SCHEDULER_STATE', taskName: 'job' });
    const running = await start(app);
    const pending = app.session
      .get('job')
      .backfill({ from: new Date(T0 - 3 * HOUR), to: new Date(T0) })
      .catch((e: unknown) => e);
    await running.advance(1000);
    await running.stop();
    const error = await pending;
    expect(error).toBeInstanceOf(ApogeeError);
    expect(error).toMatchObject({ code: 'BACKFILL_INTERRUPTED', taskName: 'job' });
    expect((error as Error).message).toContain('after 0 of its 3 runs started');
  });
});
