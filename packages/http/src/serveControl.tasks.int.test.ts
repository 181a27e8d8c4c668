import { App, daily, afterSuccess, every, never, Progress, Signal, type SchedulerEvent } from '@apogee/core';
import { serveEachTest } from '@apogee/test-utils';
import { filter, firstValueFrom } from 'rxjs';
import { serveControl, type ControlServer } from './index';

let app: App;
let control: ControlServer;

const next = (type: SchedulerEvent['type'], taskName: string): Promise<SchedulerEvent> =>
  firstValueFrom(
    app.events.pipe(filter((e) => e.type === type && 'taskName' in e && e.taskName === taskName)),
  );

const call = async (method: string, path: string, body?: string) => {
  const response = await fetch(`${control.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': 'application/json' } }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

serveEachTest(
  () => {
    app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'fetch', start: never }, () => 'data');
    app.task({ name: 'report', start: daily.and(afterSuccess('fetch')) }, () => undefined);
    app.task({ name: 'tick', start: every('1 hour') }, () => undefined);
    app.task(
      { name: 'import', start: never, inject: [Progress(), Signal()] },
      (progress: (fraction: number, message?: string) => void, signal: AbortSignal) =>
        new Promise((resolve) => {
          progress(0.25, 'file 1 of 4');
          signal.addEventListener('abort', resolve);
        }),
    );
    return app;
  },
  async (served) => (control = await serveControl(served, { port: 0 })),
);

describe('serveControl: explain, disable/enable, run ids and live runs', () => {
  it('lists the new endpoints at GET /', async () => {
    const { body } = await call('GET', '/');
    expect(body.endpoints).toEqual(
      expect.arrayContaining([
        'GET /tasks/:name/explain',
        'POST /tasks/:name/disable',
        'POST /tasks/:name/enable',
      ]),
    );
  });

  it('explains a task as a tree, next instants as ISO strings', async () => {
    const { status, body } = await call('GET', '/tasks/report/explain');
    expect(status).toBe(200);
    expect(body).toEqual({
      condition: "daily & after task 'fetch' succeeded",
      value: false,
      children: [
        { condition: 'daily', value: true, reason: 'has not run today yet', children: [] },
        {
          condition: "after task 'fetch' succeeded",
          value: false,
          reason: 'fetch has not succeeded yet',
          children: [],
        },
      ],
    });
    const tick = await call('GET', '/tasks/tick/explain');
    expect(tick.body.value).toBe(false);
    expect(tick.body.next).toBe(app.session.get('tick').nextRun()?.toISOString());
    expect(typeof tick.body.next).toBe('string');
    expect((await call('GET', '/tasks/nope/explain')).status).toBe(404);
    expect((await call('POST', '/tasks/report/explain')).status).toBe(405);
  });

  it('disables and enables a task', async () => {
    const off = await call('POST', '/tasks/tick/disable');
    expect(off).toEqual({ status: 200, body: { task: 'tick', disabled: true } });
    expect(app.session.get('tick').disabled).toBe(true);
    expect((await call('GET', '/tasks/tick')).body.disabled).toBe(true);
    const on = await call('POST', '/tasks/tick/enable');
    expect(on).toEqual({ status: 200, body: { task: 'tick', disabled: false } });
    expect(app.session.get('tick').disabled).toBe(false);
    expect((await call('GET', '/tasks/tick/disable')).status).toBe(405);
  });

  it('answers a run with its runId, and shows the live run with its progress until it ends', async () => {
    const progressed = next('taskProgress', 'import');
    const { status, body } = await call('POST', '/tasks/import/run', '{}');
    expect(status).toBe(202);
    expect(typeof body.runId).toBe('string');
    expect(await progressed).toMatchObject({ runId: body.runId, fraction: 0.25, message: 'file 1 of 4' });
    const shown = await call('GET', '/tasks/import');
    expect(shown.body.runs).toEqual([
      {
        runId: body.runId,
        started: expect.any(String) as unknown,
        progress: { fraction: 0.25, message: 'file 1 of 4' },
      },
    ]);
    const listed = await call('GET', '/tasks');
    const tasks = listed.body as unknown as { name: string; runs: unknown[] }[];
    expect(tasks.find((t) => t.name === 'import')?.runs).toHaveLength(1);
    expect(tasks.find((t) => t.name === 'fetch')?.runs).toEqual([]);
    const terminated = next('taskTerminated', 'import');
    await call('POST', '/tasks/import/terminate');
    expect(await terminated).toMatchObject({ runId: body.runId });
    expect((await call('GET', '/tasks/import')).body.runs).toEqual([]);
  });
});
