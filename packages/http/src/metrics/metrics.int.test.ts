import 'reflect-metadata';
import { filter, firstValueFrom } from 'rxjs';
import { App } from '@apogee/core';
import { parsePrometheus, type Sample } from '../fixtures/parsePrometheus';
import { serveControl, type ControlServer } from '../index';
import { escapeLabel } from './prometheusText';

jest.setTimeout(30_000);

const TOKEN = 'scrape-me';
/** A task name with every character the text format must escape. */
const ODD = 'say "hi"\\now\nthen';

let app: App;
let control: ControlServer;
let running: Promise<void>;

beforeEach(async () => {
  app = new App();
  app.task({ name: 'report' }, () => 'ok');
  app.task({ name: 'broken' }, () => {
    throw new Error('no');
  });
  app.task({ name: ODD }, () => undefined);
  running = app.run({ handleSignals: false });
  control = await serveControl(app, { port: 0, token: TOKEN, metrics: true });
});

afterEach(async () => {
  await control.close();
  await app.shutdown();
  await running;
});

async function runOnce(name: string): Promise<void> {
  const runId = app.session.get(name).run();
  await firstValueFrom(
    app.events.pipe(
      filter(
        (e) => 'runId' in e && e.runId === runId && (e.type === 'taskSucceeded' || e.type === 'taskFailed'),
      ),
    ),
  );
}

const scrape = (token?: string): Promise<Response> =>
  fetch(
    `${control.url}/metrics`,
    token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } },
  );

const find = (samples: readonly Sample[], name: string, labels: Record<string, string>): Sample[] =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));

describe('GET /metrics', () => {
  it('serves the run series in the Prometheus text format, label values escaped', async () => {
    await runOnce('report');
    await runOnce('report');
    await runOnce('broken');
    await runOnce(ODD);
    const res = await scrape(TOKEN);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const { types, samples } = parsePrometheus(await res.text());
    expect(Object.fromEntries(types)).toEqual({
      apogee_runs_total: 'counter',
      apogee_run_duration_milliseconds: 'histogram',
      apogee_start_lateness_milliseconds: 'histogram',
      apogee_runs_active: 'gauge',
      apogee_leader: 'gauge',
    });
    const runs = samples.filter((s) => s.name === 'apogee_runs_total');
    expect(runs.map((s) => [s.labels, s.value])).toEqual([
      [{ task: 'report', outcome: 'success' }, 2],
      [{ task: 'broken', outcome: 'fail' }, 1],
      [{ task: ODD, outcome: 'success' }, 1],
    ]);
    expect(find(samples, 'apogee_runs_active', {}).map((s) => [s.labels.task, s.value])).toEqual([
      ['report', 0],
      ['broken', 0],
      [ODD, 0],
    ]);
    expect(find(samples, 'apogee_leader', {}).map((s) => s.value)).toEqual([1]);
    // A histogram: cumulative buckets ending in +Inf, which equals its count.
    const buckets = find(samples, 'apogee_run_duration_milliseconds_bucket', { task: 'report' });
    const values = buckets.map((s) => s.value);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(buckets.at(-1)?.labels.le).toBe('+Inf');
    expect(buckets.at(-1)?.value).toBe(2);
    expect(find(samples, 'apogee_run_duration_milliseconds_count', { task: 'report' })[0]?.value).toBe(2);
    expect(find(samples, 'apogee_start_lateness_milliseconds_count', { task: 'broken' })[0]?.value).toBe(1);
  });

  it('asks for the token as every other route does', async () => {
    expect((await scrape()).status).toBe(401);
    expect((await scrape('wrong')).status).toBe(401);
    expect((await scrape(TOKEN)).status).toBe(200);
  });

  it('is not served without metrics: true', async () => {
    const plain = await serveControl(app, { port: 0, token: TOKEN });
    try {
      const res = await fetch(`${plain.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe('escapeLabel', () => {
  it('escapes backslash, double quote and line feed, and nothing else', () => {
    expect(escapeLabel('a\\b"c\nd\te')).toBe('a\\\\b\\"c\\nd\te');
  });
});
