import { runFor, start, useFakeClock } from '@apogee/test-utils';
import type { App, SchedulerEvent } from '@apogee/core';
import { filter, firstValueFrom } from 'rxjs';
import { SqliteRunLog } from '@apogee/sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dashboardPipeline from './control/dashboard';
import * as batch from './parameters/batch';
import * as conditionParameters from './parameters/conditionParameters';
import * as cycleError from './parameters/cycleError';
import * as functionParameters from './parameters/functionParameters';
import * as metatask from './parameters/metatask';
import * as nestedParameters from './parameters/nestedParameters';
import * as sessionParameters from './parameters/sessionParameters';
import * as taskParameters from './parameters/taskParameters';
import * as startExample from './start';
import * as cpuOnThread from './execution/cpuOnThread';
import * as crashingProcess from './execution/crashingProcess';
import * as nestApp from './nestjs/app';
import * as policies from './policies/policies';
import * as billingCluster from './manyInstances/billingCluster';
import * as reportCluster from './manyInstancesPostgres/reportCluster';
import * as observability from './observability/observability';

useFakeClock(new Date('2026-06-01T10:00:00Z'));

async function output(create: (print: (line: string) => void) => App, ms: number): Promise<string[]> {
  const lines: string[] = [];
  await runFor(
    create((line) => lines.push(line)),
    ms,
  );
  return lines;
}

describe('examples', () => {
  it('start: fetches, stores after each fetch, and reports once a day', async () => {
    const lines = await output(startExample.createApp, 10_000);
    expect(lines.filter((l) => l.includes('fetch succeeded'))).toHaveLength(3);
    expect(lines.filter((l) => l.includes('store succeeded'))).toHaveLength(3);
    expect(lines.filter((l) => l.includes('daily report sent to ops@example.com'))).toHaveLength(1);
  });

  it('start: with an SQLite log, a restart the same day does not run the daily report again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apogee-start-'));
    try {
      const first = await output(
        (print) => startExample.createApp(print, new SqliteRunLog(join(dir, 'example.db'))),
        1000,
      );
      const second = await output(
        (print) => startExample.createApp(print, new SqliteRunLog(join(dir, 'example.db'))),
        5000,
      );
      expect(first[0]).toBe('report has not run yet');
      expect(first.filter((l) => l.includes('report succeeded'))).toHaveLength(1);
      expect(second[0]).toBe('report last ran at 2026-06-01T10:00:00.000Z; once a day is enough');
      expect(second.filter((l) => l.includes('report succeeded'))).toHaveLength(0);
      expect(second.filter((l) => l.includes('fetch succeeded'))).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('control/flow: triggers a run with parameters through the CLI and sees it succeed', async () => {
    jest.useRealTimers();
    const { App } = await import('@apogee/core');
    const { Reports } = await import('./control/app');
    const { flow } = await import('./control/flow');
    const lines: string[] = [];
    const target = new App({ tasks: [Reports], params: { smtp_password: 'pw' } });
    await flow(target, (line) => lines.push(line));
    expect(lines).toContainEqual(
      expect.stringMatching(/^\$ queued a run of report with \{"user":"ada","format":"csv"\} \(run \S+\)$/),
    );
    expect(lines).toContain(
      'event: report succeeded with "report for ada as csv (mailed with a 2-character password)"',
    );
    expect(lines.some((l) => /report\s+success/.test(l))).toBe(true);
  });

  it('control/dashboard: the pipeline runs every ten minutes, the CRM sync fails every third time, the rebuild reports progress', async () => {
    const lines: string[] = [];
    const app = dashboardPipeline.createApp((line) => lines.push(line));
    const running = await start(app);
    app.session.get('send_report').run({ recipient: 'ops@example.com' });
    app.session.get('rebuild_index').run();
    await running.advance(11 * 60_000);
    await running.stop();
    const count = (type: string, task: string): number =>
      running.events.filter((e) => e.type === type && 'taskName' in e && e.taskName === task).length;
    expect(count('taskSucceeded', 'fetch_orders')).toBe(2);
    expect(count('taskSucceeded', 'load_warehouse')).toBe(2);
    expect([count('taskSucceeded', 'sync_crm'), count('taskFailed', 'sync_crm')]).toEqual([2, 1]);
    expect(count('taskProgress', 'rebuild_index')).toBe(60);
    expect(count('taskSucceeded', 'rebuild_index')).toBe(1);
    expect(lines).toEqual(['report sent to ops@example.com as pdf']);
  });

  it('parameters/batch: runs queued batches in order', async () => {
    expect(await output(batch.createApp, 1000)).toEqual(['hello Ada', 'hello Grace', 'hello world']);
  });

  it('parameters/metatask: a main task turns requests into runs with their parameters', async () => {
    const inbox = new metatask.RequestInbox();
    const lines: string[] = [];
    const app = metatask.createApp((line) => lines.push(line), inbox);
    inbox.pending.push({ user: 'ada', format: 'csv' });
    const running = await start(app);
    inbox.pending.push({ user: 'grace', format: 'pdf' });
    await running.advance(60_000);
    await running.stop();
    expect(lines).toEqual(['report for ada as csv', 'report for grace as pdf']);
    expect(app.session.returns.get('report')).toBe('grace.pdf');
  });

  it('parameters/taskParameters: task values beat the function fallback and the session', async () => {
    expect(await output(taskParameters.createApp, 1000)).toEqual([
      'export orders as parquet to s3://exports',
      'export customers as csv to s3://exports',
    ]);
  });

  it('parameters/functionParameters: the fallback can be another task return value', async () => {
    expect(await output(functionParameters.createApp, 31_000)).toEqual(['total 11', 'total 22']);
  });

  it('parameters/sessionParameters: session values and a lazy provider, computed only when used', async () => {
    const settings = new sessionParameters.Settings();
    const lines: string[] = [];
    await runFor(
      sessionParameters.createApp((l) => lines.push(l), settings),
      61_000,
    );
    // Both tasks are async, so within a minute their lines may come in either order.
    expect(lines.sort()).toEqual([
      'alive in eu-north',
      'alive in eu-north',
      'pull 100 items from https://eu-north.api.example.com',
      'pull 100 items from https://eu-north.api.example.com',
    ]);
    expect(settings.calls).toBe(2);
  });

  it('parameters/conditionParameters: a condition with a bound threshold and an injected parameter', async () => {
    const disk = new conditionParameters.Disk();
    const lines: string[] = [];
    const app = conditionParameters.createApp((l) => lines.push(l), disk);
    const running = await start(app);
    await running.advance(60_000);
    expect(lines).toEqual([]);
    disk.usage = 90;
    await running.advance(10_000);
    await running.stop();
    expect(lines).toEqual(['purged old files on /data']);
  });

  it('parameters/nestedParameters: providers use providers, each once per run', async () => {
    const connections = new nestedParameters.Connections();
    const lines: string[] = [];
    await runFor(
      nestedParameters.createApp((l) => lines.push(l), connections),
      1000,
    );
    expect(lines).toEqual(['orders via #1; postgres://db.internal/shop (#1)']);
    expect(connections.opened).toBe(1);
  });

  it('parameters/cycleError: reports the chain and keeps scheduling', async () => {
    expect(await output(cycleError.createApp, 61_000)).toEqual([
      'invoice failed: Parameter cycle: price -> tax -> price (while resolving task "invoice").',
      'invoice failed: Parameter cycle: price -> tax -> price (while resolving task "invoice").',
    ]);
  });

  // These two run real workers on real time: they wait for events, never for a fixed delay.
  it('execution/cpuOnThread: the heartbeat keeps beating while a thread crunches', async () => {
    jest.useRealTimers();
    const lines: string[] = [];
    const app = cpuOnThread.createApp((line) => lines.push(line));
    await runUntil(app, (e) => e.type === 'taskSucceeded' && e.taskName === 'primes');
    const records = await app.logs.records();
    const primes = records.filter((r) => r.taskName === 'primes');
    const [began, ended] = [primes[0]?.start?.getTime() ?? 0, primes[1]?.end?.getTime() ?? 0];
    const beatsMeanwhile = records.filter(
      (r) =>
        r.taskName === 'heartbeat' &&
        r.action === 'run' &&
        (r.start?.getTime() ?? 0) > began &&
        (r.start?.getTime() ?? 0) < ended,
    );
    // Three seconds of blocked CPU on the thread; the main loop still beat each second.
    expect(beatsMeanwhile.length).toBeGreaterThanOrEqual(2);
    expect(lines).toContain('primes: crunching on a worker thread');
    expect(lines.some((l) => /^primes: found \d+$/.test(l))).toBe(true);
  }, 30_000);

  it('execution/crashingProcess: a crashing child is recorded as fail and the scheduler carries on', async () => {
    jest.useRealTimers();
    const lines: string[] = [];
    const app = crashingProcess.createApp((line) => lines.push(line));
    let crashes = 0;
    await runUntil(app, (e) => e.type === 'taskFailed' && e.taskName === 'importFeed' && ++crashes === 2);
    const feed = await app.logs.records({ taskName: 'importFeed' });
    // On a loaded machine the next run can fall due before the shutdown lands: the first two
    // runs are the ones awaited, and each crash is printed once.
    expect(feed.slice(0, 4).map((r) => r.action)).toEqual(['run', 'fail', 'run', 'fail']);
    const fails = feed.filter((r) => r.action === 'fail').length;
    expect(lines.filter((l) => l.startsWith('importFeed crashed its process (exit code 1)'))).toHaveLength(
      fails,
    );
    expect(lines.find((l) => l.startsWith('importFeed crashed'))).toMatch(/JSON/);
    expect(lines).toContain('alert: importFeed failed, paging the on-call engineer');
    // The heartbeat went on between and after the crashes.
    const firstCrash = lines.findIndex((l) => l.startsWith('importFeed crashed'));
    expect(lines.slice(firstCrash).filter((l) => l.startsWith('heartbeat')).length).toBeGreaterThanOrEqual(1);
  }, 30_000);

  it('nestjs/app: tasks on Nest services, the schedule from configuration, App injected, a clean close', async () => {
    const lines: string[] = [];
    const nest = await nestApp.createNestApp((line) => lines.push(line), {
      REPORT_SCHEDULE: 'every 20 seconds',
    });
    await jest.advanceTimersByTimeAsync(45_000);
    nest.get(nestApp.ReportRequests).requestNow('ceo@example.com');
    await jest.advanceTimersByTimeAsync(0);
    await nest.close();
    expect(lines).toEqual([
      'mail to ops@example.com: report #1',
      'mail to ops@example.com: report #2',
      'mail to ops@example.com: report #3',
      'mail to ceo@example.com: report #4',
    ]);
    expect(jest.getTimerCount()).toBe(0);
  });
  it('policies: queues an overlapping run, merges the next, spreads pings, pauses a failing task', async () => {
    const lines = await output((print) => policies.createApp(print, undefined, () => 0.5), 160_000);
    expect(lines.filter((l) => l.startsWith('sync'))).toEqual([
      'sync for 10:00 started at 10:00',
      'sync: the run for 10:02 was merged into the waiting one',
      'sync for 10:01 started at 10:02',
    ]);
    expect(lines.filter((l) => l.startsWith('ping'))).toEqual([
      'ping for 10:00 after 15 s',
      'ping for 10:01 after 15 s',
      'ping for 10:02 after 15 s',
    ]);
    expect(lines.filter((l) => l.startsWith('flaky'))).toEqual(['flaky paused after 3 failures in a row']);
  });

  it('policies: after a restart on an SQLite log, reports each missed hour, oldest first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apogee-policies-'));
    try {
      const file = join(dir, 'runs.db');
      const first = await output((print) => policies.createApp(print, new SqliteRunLog(file)), 1000);
      jest.setSystemTime(new Date('2026-06-01T13:00:20Z'));
      const second = await output((print) => policies.createApp(print, new SqliteRunLog(file)), 1000);
      expect(first.filter((l) => l.startsWith('report'))).toEqual(['report for 10:00']);
      expect(second.filter((l) => l.startsWith('report'))).toEqual([
        'report for 11:00',
        'report for 12:00',
        'report for 13:00',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('manyInstances/billingCluster: three instances on a local Redis share the invoices, each recorded once on the leader', async () => {
    jest.useRealTimers();
    const lines: string[] = [];
    // On failure the error carries what the instances printed, to tell a stuck election from a lost job.
    await billingCluster
      .runCluster((line) => lines.push(line), 150_000)
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\n${lines.join('\n')}`);
      });
    const pids = lines.flatMap((l) => /^instance (\d+) started/.exec(l)?.[1] ?? []);
    expect(pids).toHaveLength(3);
    const invoices = lines.filter((l) => l.startsWith('invoice for '));
    expect(invoices).toHaveLength(6);
    for (const line of invoices) expect(pids).toContain(/on pid (\d+)$/.exec(line)?.[1]);
    expect(lines.filter((l) => l.startsWith('receipt for ')).length).toBeGreaterThanOrEqual(1);
    expect(lines).toContain('all invoices done');
  }, 200_000);

  it('manyInstancesPostgres/reportCluster: three instances on a local PostgreSQL; the leader is killed, another goes on, and the daily task runs once', async () => {
    jest.useRealTimers();
    const lines: string[] = [];
    await reportCluster
      .runCluster((line) => lines.push(line), 150_000)
      .catch((error: unknown) => {
        throw new Error(`${String(error)}\n${lines.join('\n')}`);
      });
    expect(lines.filter((l) => /^instance \d+ started$/.test(l))).toHaveLength(3);
    const leaders = lines.flatMap((l) => /^instance (\d+) leads$/.exec(l)?.[1] ?? []);
    const killed = lines.flatMap((l) => /^killing the leader (\d+)$/.exec(l)?.[1] ?? []);
    expect(killed).toHaveLength(1);
    expect(leaders.length).toBeGreaterThanOrEqual(2);
    expect(leaders[0]).toBe(killed[0]);
    expect(lines.filter((l) => l.startsWith('cleanup ran on pid '))).toHaveLength(1);
    expect(lines).toContain('the new leader goes on');
  }, 200_000);
});

describe('observability', () => {
  it('prints each run span, the span the task opened as its child, and the run metrics', async () => {
    jest.useRealTimers();
    const printed: unknown[] = [];
    // The console exporters print with console.dir: what they print is what this reads.
    const dir = jest.spyOn(console, 'dir').mockImplementation((item: unknown) => printed.push(item));
    const telemetry = observability.setUpTelemetry();
    try {
      const app = observability.createApp(telemetry);
      const running = app.run({ handleSignals: false });
      for (const name of ['report', 'sync_crm', 'sync_crm']) {
        const runId = app.session.get(name).run();
        await firstValueFrom(
          app.events.pipe(filter((e) => 'runId' in e && e.runId === runId && e.type !== 'taskStarted')),
        );
      }
      await app.shutdown();
      await running;
      await telemetry.meterProvider.forceFlush();
    } finally {
      await telemetry.meterProvider.shutdown();
      await telemetry.tracerProvider.shutdown();
      dir.mockRestore();
    }
    type Printed = {
      name?: string;
      id?: string;
      traceId?: string;
      parentSpanContext?: { spanId: string };
      attributes?: Record<string, unknown>;
      status?: { code: number; message?: string };
      descriptor?: { name: string };
      dataPoints?: { attributes: Record<string, unknown>; value: unknown }[];
    };
    const items = printed as Printed[];
    const report = items.find((i) => i.name === 'apogee.run report');
    const render = items.find((i) => i.name === 'render pdf');
    expect(render?.parentSpanContext?.spanId).toBe(report?.id);
    expect(render?.traceId).toBe(report?.traceId);
    expect(report?.attributes).toMatchObject({ 'apogee.task': 'report', 'apogee.outcome': 'success' });
    // The schedule may start runs of its own besides the three asked for: each one is counted.
    const syncs = items.filter((i) => i.name === 'apogee.run sync_crm');
    expect(syncs.map((s) => s.status)).toEqual(
      expect.arrayContaining([{ code: 0 }, { code: 2, message: 'CRM answered 503' }]),
    );
    const runSpans = items.filter((i) => i.name?.startsWith('apogee.run ') === true);
    const spansOf = (task: string, outcome: string): number =>
      runSpans.filter(
        (i) => i.attributes?.['apogee.task'] === task && i.attributes['apogee.outcome'] === outcome,
      ).length;
    const runs = items.find((i) => i.descriptor?.name === 'apogee.runs');
    expect(runs?.dataPoints?.length).toBeGreaterThanOrEqual(3);
    for (const point of runs?.dataPoints ?? [])
      expect(point.value).toBe(spansOf(String(point.attributes.task), String(point.attributes.outcome)));
    // Printed by forceFlush, then again by shutdown.
    expect([...new Set(items.map((i) => i.descriptor?.name).filter((n) => n !== undefined))]).toEqual([
      'apogee.runs',
      'apogee.run.duration',
      'apogee.start.lateness',
      'apogee.runs.active',
      'apogee.leader',
    ]);
  }, 30_000);
});

/** Runs `app` until an event satisfies `done`, then shuts it down. */
async function runUntil(app: App, done: (event: SchedulerEvent) => boolean): Promise<void> {
  const running = app.run({ handleSignals: false });
  await firstValueFrom(app.events.pipe(filter(done)));
  await app.shutdown();
  await running;
}
