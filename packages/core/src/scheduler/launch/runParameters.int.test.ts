import { inspect } from 'node:util';
import { Subject } from 'rxjs';
import { start } from '@apogee/test-utils';
import { App, Arg, every, never, Private, when, type RunRecord } from '../../index';

const T0 = Date.parse('2026-05-04T12:00:00Z');
beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

const brief = (r: RunRecord) => ({ action: r.action, runId: r.runId, parameters: r.parameters });

describe('RunRecord.parameters', () => {
  it("carries a task.run() batch on the run's start and end records; the task gets the Private in clear", async () => {
    const app = new App();
    const seen: unknown[] = [];
    app.task(
      { name: 'report', start: never, inject: [Arg('user'), Arg('password')] },
      (user: string, password: string) => {
        seen.push([user, password]);
        return 'done';
      },
    );
    const running = await start(app);
    const password = new Private('s3cret');
    const runId = app.session.get('report').run({ user: 'ada', password });
    await running.advance(1000);
    await running.stop();
    expect(seen).toEqual([['ada', 's3cret']]);
    const records = await app.logs.records({ taskName: 'report' });
    expect(records.map(brief)).toEqual([
      { action: 'run', runId, parameters: { user: 'ada', password } },
      { action: 'success', runId, parameters: { user: 'ada', password } },
    ]);
    // Kept as given, so it prints masked wherever the record is printed.
    expect(JSON.stringify(records[1]?.parameters)).toBe('{"user":"ada","password":"*****"}');
    expect(inspect(records[0])).not.toContain('s3cret');
  });

  it('carries the object a when() emission brought, on failures too', async () => {
    const requests$ = new Subject<{ user: string }>();
    const app = new App();
    app.task({ name: 'export', start: when(requests$), inject: [Arg('user')] }, (user: string) => {
      throw new Error(`no export for ${user}`);
    });
    const running = await start(app);
    requests$.next({ user: 'grace' });
    await running.advance(1000);
    await running.stop();
    const [failed] = await app.logs.records({ taskName: 'export', action: 'fail' });
    expect(failed?.parameters).toEqual({ user: 'grace' });
  });

  it('is absent from runs without batch parameters: scheduled runs and a plain task.run()', async () => {
    const app = new App();
    app.task({ name: 'tick', start: every('10 seconds') }, () => undefined);
    const running = await start(app);
    await running.advance(15_000);
    app.session.get('tick').run();
    await running.advance(1000);
    await running.stop();
    const records = await app.logs.records({ taskName: 'tick' });
    expect(records.length).toBeGreaterThanOrEqual(4);
    for (const record of records) expect(Object.keys(record)).not.toContain('parameters');
  });
});
