import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { Queue } from 'bullmq';
import { filter, firstValueFrom } from 'rxjs';
import { App, ManualLeadership, type Instrumentation, type SchedulerEvent } from '@apogee/core';
import { bullmq } from '@apogee/bullmq';
import { startRedisServer, waitFor, type RedisServer } from '@apogee/test-utils';
import { telemetry, type Telemetry } from './fixtures/telemetry';
import { otel } from './otel';

// A real Redis and a worker in its own process on a loaded machine: wait for what is observed.
jest.setTimeout(180_000);

const ROOT = resolve(__dirname, '../../..');

let server: RedisServer;
let t: Telemetry;
let worker: { child: ChildProcess; lines: Record<string, unknown>[] } | undefined;
let queues = 0;

beforeAll(async () => {
  server = await startRedisServer();
});
beforeEach(() => {
  t = telemetry();
});
afterEach(async () => {
  const child = worker?.child;
  worker = undefined;
  if (child !== undefined && child.exitCode === null) {
    const gone = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await gone;
  }
  await t.close();
});
afterAll(async () => {
  await server.stop();
});

/** Starts the queue worker process of app `name` (fixtures/queueWorker.ts) and waits until it takes jobs. */
async function startWorker(name: string): Promise<Record<string, unknown>[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, 'fixtures', 'queueWorker.ts'), server.url, name],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith('{')) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  worker = { child, lines };
  await waitFor('the worker process to take jobs', () => lines.some((l) => l.ready === true), 120_000);
  return lines;
}

/**
 * The leader of app `name`: it dispatches `traced` runs and executes none (concurrency 0), so
 * the task's code (fixtures/tracedTask.ts) runs only in the worker process.
 */
async function leader(
  name: string,
  first?: Instrumentation,
): Promise<{ app: App; stop: () => Promise<void> }> {
  const app = new App({
    leadership: new ManualLeadership(true),
    ...bullmq({ url: server.url, name, concurrency: 0 }),
    ...(first === undefined ? {} : { instrumentation: first }),
  });
  app.instrument(otel({ tracerProvider: t.tracerProvider, meterProvider: t.meterProvider }).instrumentation);
  app.task({ name: 'traced', execution: 'queue' }, () => 'never called here');
  const running = app.run({ handleSignals: false });
  await firstValueFrom(app.events.pipe(filter((e) => e.type === 'schedulerStarted')));
  return {
    app,
    stop: async () => {
      await app.shutdown();
      await running;
    },
  };
}

/** Starts a run of `traced` and resolves with what the task answered in the worker. */
async function tracedRun(app: App): Promise<{ runId: string; seen: unknown }> {
  const runId = app.session.get('traced').run();
  const end = await firstValueFrom(
    app.events.pipe(filter((e) => 'runId' in e && e.runId === runId && e.type !== 'taskStarted')),
  );
  expect(end.type).toBe('taskSucceeded');
  return { runId, seen: (end as Extract<SchedulerEvent, { type: 'taskSucceeded' }>).returnValue };
}

describe('otel() with queue execution', () => {
  it('carries the run span with the job to a worker process: a span the task opens there is its child', async () => {
    const name = `traced-${String(++queues)}`;
    await startWorker(name);
    const { app, stop } = await leader(name);
    let runId: string;
    let seen: unknown;
    try {
      ({ runId, seen } = await tracedRun(app));
    } finally {
      await stop();
    }
    const span = t.spans.getFinishedSpans().find((s) => s.name === 'apogee.run traced');
    expect(seen).toEqual({ traceId: span?.spanContext().traceId, parentSpanId: span?.spanContext().spanId });
    expect(span?.kind).toBe(SpanKind.CONSUMER);
    expect(span?.attributes).toMatchObject({
      'apogee.execution': 'queue',
      'apogee.outcome': 'success',
      'messaging.system': 'bullmq',
      'messaging.destination.name': name,
      'messaging.operation.type': 'process',
      'messaging.message.id': `traced.${runId}`,
    });
    // Known once a worker took the job, after the span was opened.
    expect(span?.attributes['apogee.start_lateness_ms']).toBeGreaterThanOrEqual(0);
    const lateness = (await t.collect()).get('apogee.start.lateness') ?? [];
    expect(lateness.map((p) => (p.value as Histogram).count)).toEqual([1]);
  });

  it('runs a job whose carried context is garbled or forged, outside any trace', async () => {
    const name = `traced-${String(++queues)}`;
    const lines = await startWorker(name);
    // Carried first: each run's job goes out with a traceparent that is not one. Its module is the
    // leader's own and never travels: the worker enters the carrier with its own app's otel().
    const garbled: Instrumentation = {
      workerModule: '/nowhere/leader-only.js',
      runStarted: () => ({ carrier: { traceparent: '00-zz-not-a-trace-01' }, ended: () => undefined }),
    };
    const { app, stop } = await leader(name, garbled);
    let seen: unknown;
    try {
      ({ seen } = await tracedRun(app));
      // Jobs written by hand, as anyone who can write to Redis could: what `trace` holds is not trusted.
      const queue = new Queue(name, { connection: { port: server.port }, prefix: 'apogee' });
      try {
        const forged: unknown[] = [
          42,
          ['00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
          { traceparent: 'x'.repeat(100_000) },
          { traceparent: '00-00000000000000000000000000000000-0000000000000000-01' },
          { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', tracestate: '=,=;' },
        ];
        const results = await Promise.all(
          forged.map(async (trace, i) => {
            const data = { taskName: 'traced', runId: `forged-${String(i)}`, args: [], executing: [], trace };
            const job = await queue.add('traced', data, { jobId: `forged-${String(i)}` });
            return waitFor(`forged job ${String(i)} to end`, async () => {
              const state = await queue.getJobState(job.id ?? '');
              return state === 'completed' || state === 'failed' ? queue.getJob(job.id ?? '') : undefined;
            });
          }),
        );
        for (const job of results) expect(job?.returnvalue).toMatchObject({ type: 'success' });
        const parents = results.map(
          (job) => (job?.returnvalue as { returnValue: { parentSpanId?: string } }).returnValue.parentSpanId,
        );
        // The last one is a well-formed traceparent (its tracestate is dropped): it joins that trace.
        expect(parents).toEqual([undefined, undefined, undefined, undefined, 'b7ad6b7169203331']);
      } finally {
        await queue.close();
      }
    } finally {
      await stop();
    }
    expect((seen as { parentSpanId?: string }).parentSpanId).toBeUndefined();
    expect(lines.filter((l) => l.warning !== undefined)).toEqual([]);
  });
});
