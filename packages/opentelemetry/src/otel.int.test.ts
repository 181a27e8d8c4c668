import 'reflect-metadata';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { filter, firstValueFrom } from 'rxjs';
import { App, type SchedulerEvent } from '@apogee/core';
import { telemetry, type Telemetry } from './fixtures/telemetry';
import { otel } from './otel';

jest.setTimeout(30_000);

let t: Telemetry;
beforeEach(() => {
  t = telemetry();
});
afterEach(async () => {
  await t.close();
});

const ended = (app: App, runId: string): Promise<SchedulerEvent> =>
  firstValueFrom(
    app.events.pipe(
      filter(
        (e) =>
          'runId' in e &&
          e.runId === runId &&
          (e.type === 'taskSucceeded' || e.type === 'taskFailed' || e.type === 'taskTerminated'),
      ),
    ),
  );

/** Runs `body` with a running app built with otel() on the test's providers. */
async function withApp(build: (app: App) => void, body: (app: App) => Promise<void>): Promise<void> {
  const app = new App({ ...otel({ tracerProvider: t.tracerProvider, meterProvider: t.meterProvider }) });
  build(app);
  const running = app.run({ handleSignals: false });
  try {
    await body(app);
  } finally {
    await app.shutdown();
    await running;
  }
}

describe.each(['main', 'async'] as const)('otel() with %s execution', (execution) => {
  it('gives each run one span whose context is active inside the task, so its spans are children', async () => {
    await withApp(
      (app) =>
        app.task({ name: 'report', execution }, async () => {
          const child = t.tracerProvider.getTracer('test').startSpan('query');
          await new Promise((resolve) => setImmediate(resolve));
          child.end();
          return 'ok';
        }),
      async (app) => {
        const runId = app.session.get('report').run();
        await ended(app, runId);
      },
    );
    const spans = t.spans.getFinishedSpans();
    const run = spans.find((s) => s.name === 'apogee.run report');
    const child = spans.find((s) => s.name === 'query');
    expect(run).toBeDefined();
    expect(child?.spanContext().traceId).toBe(run?.spanContext().traceId);
    expect(child?.parentSpanContext?.spanId).toBe(run?.spanContext().spanId);
    expect(run?.kind).toBe(SpanKind.INTERNAL);
    expect(run?.status.code).toBe(SpanStatusCode.UNSET);
    expect(run?.attributes).toMatchObject({
      'apogee.task': 'report',
      'apogee.execution': execution,
      'apogee.outcome': 'success',
    });
    expect(typeof run?.attributes['apogee.run_id']).toBe('string');
    expect(run?.attributes['apogee.start_lateness_ms']).toBeGreaterThanOrEqual(0);
    expect(Date.parse(String(run?.attributes['apogee.scheduled_at']))).not.toBeNaN();
  });
});

describe('otel()', () => {
  it('marks a failed run ERROR with an exception event, and counts runs by task and outcome', async () => {
    let calls = 0;
    await withApp(
      (app) =>
        app.task({ name: 'flaky' }, () => {
          calls += 1;
          if (calls === 2) throw new Error('disk full');
        }),
      async (app) => {
        for (let i = 0; i < 3; i++) await ended(app, app.session.get('flaky').run());
        const metrics = await t.collect();
        const runs = metrics.get('apogee.runs') ?? [];
        expect(runs.map((p) => [p.attributes, p.value])).toEqual(
          expect.arrayContaining([
            [{ task: 'flaky', outcome: 'success' }, 2],
            [{ task: 'flaky', outcome: 'fail' }, 1],
          ]),
        );
        expect(runs).toHaveLength(2);
        const duration = metrics.get('apogee.run.duration') ?? [];
        expect(duration.map((p) => (p.value as Histogram).count).sort()).toEqual([1, 2]);
        const lateness = metrics.get('apogee.start.lateness') ?? [];
        expect(lateness.map((p) => [p.attributes, (p.value as Histogram).count])).toEqual([
          [{ task: 'flaky' }, 3],
        ]);
        expect(metrics.get('apogee.runs.active')?.map((p) => p.value)).toEqual([0]);
        expect(metrics.get('apogee.leader')?.map((p) => p.value)).toEqual([1]);
      },
    );
    const failed = t.spans.getFinishedSpans().filter((s) => s.attributes['apogee.outcome'] === 'fail');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'disk full' });
    expect(failed[0]?.events.map((e) => [e.name, e.attributes?.['exception.message']])).toEqual([
      ['exception', 'disk full'],
    ]);
  });

  it('counts a run as active while it executes', async () => {
    let release: () => void = () => undefined;
    await withApp(
      (app) => app.task({ name: 'long', execution: 'async' }, () => new Promise<void>((r) => (release = r))),
      async (app) => {
        const started = firstValueFrom(app.events.pipe(filter((e) => e.type === 'taskStarted')));
        const runId = app.session.get('long').run();
        await started;
        expect((await t.collect()).get('apogee.runs.active')?.map((p) => p.value)).toEqual([1]);
        const done = ended(app, runId);
        release();
        await done;
        expect((await t.collect()).get('apogee.runs.active')?.map((p) => p.value)).toEqual([0]);
      },
    );
  });

  it('uses the global providers by default', async () => {
    trace.setGlobalTracerProvider(t.tracerProvider);
    await withApp(
      () => undefined,
      async () => undefined,
    );
    const app = new App({ ...otel() });
    app.task({ name: 'plain' }, () => 1);
    const running = app.run({ handleSignals: false });
    try {
      await ended(app, app.session.get('plain').run());
    } finally {
      await app.shutdown();
      await running;
    }
    expect(t.spans.getFinishedSpans().map((s) => s.name)).toEqual(['apogee.run plain']);
  });
});
