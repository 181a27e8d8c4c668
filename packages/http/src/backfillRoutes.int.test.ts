import { App, ScheduledAt, afterSuccess, cron, never, type SchedulerEvent } from '@apogee/core';
import { serveEachTest } from '@apogee/test-utils';
import { filter, firstValueFrom } from 'rxjs';
import { serveControl, type ControlServer } from './index';

let app: App;
let started: Promise<SchedulerEvent>;
let control: ControlServer;
const seen: string[] = [];

serveEachTest(
  () => {
    seen.length = 0;
    app = new App({ config: { timezone: 'UTC' } });
    started = firstValueFrom(app.events.pipe(filter((e) => e.type === 'schedulerStarted')));
    app.task({ name: 'nightly', start: cron('0 3 1-3 1 *'), inject: [ScheduledAt()] }, (at: Date) => {
      seen.push(at.toISOString());
    });
    app.task({ name: 'fetch', start: never }, () => undefined);
    app.task({ name: 'report', start: afterSuccess('fetch') }, () => undefined);
    return app;
  },
  async (served) => (control = await serveControl(served, { port: 0 })),
);

const post = async (path: string, body: unknown, accept?: string) => {
  await started;
  return fetch(`${control.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(accept === undefined ? {} : { accept }) },
    body: JSON.stringify(body),
  });
};

const range = { from: '2026-01-01T00:00:00Z', to: '2026-01-04T00:00:00Z' };

describe('POST /tasks/:name/backfill', () => {
  it('runs the backfill and answers its report; again, it skips every instant', async () => {
    const first = await post('/tasks/nightly/backfill', range);
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ task: 'nightly', instants: 3, started: 3, skipped: 0, failed: 0 });
    expect(seen).toEqual(['01', '02', '03'].map((d) => `2026-01-${d}T03:00:00.000Z`));
    const again = await post('/tasks/nightly/backfill', { ...range, concurrency: 2 });
    expect(await again.json()).toMatchObject({ started: 0, skipped: 3 });
  });

  it('streams one line per step to a client that accepts application/x-ndjson', async () => {
    const response = await post('/tasks/nightly/backfill', range, 'application/x-ndjson');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text())
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, { started: number }>);
    expect(lines.map((l) => Object.keys(l)[0])).toEqual([
      'progress',
      'progress',
      'progress',
      'progress',
      'report',
    ]);
    expect(lines.map((l) => Object.values(l)[0]?.started)).toEqual([0, 1, 2, 3, 3]);
  });

  it('answers a bad request with 400 and the reason, an unknown task with 404', async () => {
    const cases: [string, unknown, string][] = [
      ['nightly', { from: '2026-01-01' }, 'needs "from" and "to" as ISO 8601 dates'],
      ['nightly', { ...range, extra: 1 }, 'Unknown field "extra"'],
      ['nightly', { ...range, concurrency: '2' }, '"concurrency" must be a number'],
      ['nightly', { from: range.to, to: range.from }, 'Expected an instant before to'],
      ['nightly', { from: 'monday', to: range.to }, 'from: "monday" is not valid'],
      ['report', range, 'task.backfill() of task "report": its start condition'],
      ['fetch', range, 'its start condition: "on request" is not valid'],
      // Not the run endpoint's "batch parameters": what a backfill's body is.
      ['nightly', [], 'The body must be a JSON object { from, to, concurrency? }'],
      ['nightly', null, 'got null'],
      ['nightly', '2026-01-01', 'The body must be a JSON object { from, to, concurrency? }'],
    ];
    for (const [task, body, message] of cases) {
      const response = await post(`/tasks/${task}/backfill`, body);
      expect({ task, body, status: response.status }).toEqual({ task, body, status: 400 });
      expect(((await response.json()) as { error: string }).error).toContain(message);
    }
    expect((await post('/tasks/nightlly/backfill', range)).status).toBe(404);
    expect(seen).toEqual([]);
  });
});
