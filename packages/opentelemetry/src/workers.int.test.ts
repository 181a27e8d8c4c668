import 'reflect-metadata';
import { filter, firstValueFrom } from 'rxjs';
import { App, type SchedulerEvent } from '@apogee/core';
import { traced } from './fixtures/tracedTask';
import { telemetry, type Telemetry } from './fixtures/telemetry';
import { otel } from './otel';

// Real worker threads and child processes on real time: wait for events, never for a delay.
jest.setTimeout(60_000);

let t: Telemetry;
beforeEach(() => {
  t = telemetry();
});
afterEach(async () => {
  await t.close();
});

describe.each(['thread', 'process'] as const)('otel() with %s execution', (execution) => {
  it('carries the run span into the worker: a span the task opens there is its child', async () => {
    const app = new App({ ...otel({ tracerProvider: t.tracerProvider, meterProvider: t.meterProvider }) });
    app.task({ name: 'traced', execution, module: require.resolve('./fixtures/tracedTask') }, traced);
    const running = app.run({ handleSignals: false });
    let end: SchedulerEvent;
    try {
      const runId = app.session.get('traced').run();
      end = await firstValueFrom(
        app.events.pipe(filter((e) => 'runId' in e && e.runId === runId && e.type !== 'taskStarted')),
      );
    } finally {
      await app.shutdown();
      await running;
    }
    expect(end.type).toBe('taskSucceeded');
    const seen = (end as Extract<SchedulerEvent, { type: 'taskSucceeded' }>).returnValue;
    const span = t.spans.getFinishedSpans().find((s) => s.name === 'apogee.run traced');
    expect(span?.attributes['apogee.execution']).toBe(execution);
    expect(seen).toEqual({ traceId: span?.spanContext().traceId, parentSpanId: span?.spanContext().spanId });
  });
});
