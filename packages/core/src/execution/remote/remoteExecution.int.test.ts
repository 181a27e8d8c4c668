import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter, firstValueFrom } from 'rxjs';
import { App, type AppOptions } from '../../app/App';
import { Arg } from '../../decorators/Arg';
import { SerializationError } from '../../errors/SerializationError';
import { TaskTimeoutError } from '../../errors/TaskTimeoutError';
import { WorkerCrashError } from '../../errors/WorkerCrashError';
import type { RunRecord } from '../../log/RunRecord';
import { Private } from '../../params/Private';
import type { SchedulerEvent } from '../../scheduler/events/SchedulerEvent';
import { type Place, RemoteJobs } from './fixtures/remoteJobs';

// Real workers, real time: each test waits for events, never for a fixed delay.
jest.setTimeout(30_000);

const ENDS = new Set(['taskSucceeded', 'taskFailed', 'taskTerminated', 'taskInacted']);
type Ended = Extract<SchedulerEvent, { taskName: string; runId: string }>;

/** The next end (success, fail, terminate, inaction) of `taskName`'s runs. Subscribe before triggering. */
function nextEnd(app: App, taskName: string): Promise<Ended> {
  return firstValueFrom(
    app.events.pipe(
      filter((e): e is Ended => ENDS.has(e.type) && 'taskName' in e && e.taskName === taskName),
    ),
  );
}

async function started(
  mode: 'thread' | 'process',
  options: AppOptions = {},
): Promise<{ app: App; stop: () => Promise<void> }> {
  const app = new App({
    ...options,
    config: { execution: mode, ...options.config },
    tasks: [RemoteJobs],
  });
  const running = app.run({ handleSignals: false });
  return {
    app,
    stop: async () => {
      await app.shutdown();
      await running;
    },
  };
}

async function runOnce(app: App, taskName: string, params?: Record<string, unknown>): Promise<Ended> {
  const end = nextEnd(app, taskName);
  app.session.get(taskName).run(params);
  return end;
}

const returned = (event: Ended): unknown => {
  if (event.type !== 'taskSucceeded')
    throw new Error(`expected success, got ${event.type}: ${JSON.stringify(event)}`);
  return event.returnValue;
};

describe.each(['thread', 'process'] as const)('%s execution', (mode) => {
  it('runs elsewhere, with all four parameter levels resolved in the scheduler, and returns into Return', async () => {
    let providerCalls = 0;
    const { app, stop } = await started(mode, {
      params: { secret: new Private('s3cret') },
    });
    app.param({ name: 'session' }, () => {
      providerCalls++;
      return 'session level';
    });
    try {
      const consumed = nextEnd(app, 'consume');
      const levels = returned(await runOnce(app, 'levels', { batch: 'batch level' })) as {
        levels: string[];
        place: Place;
      };
      expect(levels.levels).toEqual([
        'batch level',
        'task level',
        'function level',
        'session level',
        's3cret',
      ]);
      if (mode === 'process') expect(levels.place.pid).not.toBe(process.pid);
      else expect(levels.place.threadId).not.toBe(0);
      expect(providerCalls).toBe(1);
      // The dependent ran on its own, got the return value, and a service built in the worker.
      expect(returned(await consumed)).toBe(
        'hello batch level, task level, function level, session level, s3cret',
      );
      expect(app.session.returns.get('levels')).toEqual(levels);
      const records = await app.logs.records({ taskName: 'levels' });
      expect(records.map((r) => r.action)).toEqual(['run', 'success']);
      expect(app.session.get('levels').status).toBe('success');
    } finally {
      await stop();
    }
  });

  it('reuses a worker between runs', async () => {
    const { app, stop } = await started(mode);
    try {
      const first = returned(await runOnce(app, 'where')) as Place;
      const second = returned(await runOnce(app, 'where')) as Place;
      expect(second).toEqual(first);
    } finally {
      await stop();
    }
  });

  it('records errors, inaction and their details as for async tasks', async () => {
    const { app, stop } = await started(mode);
    try {
      const failed = await runOnce(app, 'fail');
      expect(failed.type).toBe('taskFailed');
      const error = (failed as { error: Error & { code?: string } }).error;
      expect(error.name).toBe('RangeError');
      expect(error.message).toBe('input out of range');
      expect(error.code).toBe('E_RANGE');
      expect((await runOnce(app, 'nothingToDo')).type).toBe('taskInacted');
      expect(app.session.get('nothingToDo').status).toBe('inaction');
    } finally {
      await stop();
    }
  });

  it('fails a run whose parameter cannot cross, naming task and key, before it starts', async () => {
    const { app, stop } = await started(mode);
    try {
      class Point {
        constructor(readonly x: number) {}
      }
      for (const [value, path, problem] of [
        [{ onDone: () => 1 }, 'value.onDone', 'a function'],
        [new Point(1), 'value', 'an instance of class Point'],
        [[Symbol('s')], 'value[0]', 'a symbol'],
      ] as const) {
        const failed = await runOnce(app, 'take', { value });
        const error = (failed as { error: SerializationError }).error;
        expect(error).toBeInstanceOf(SerializationError);
        expect(error.taskName).toBe('take');
        expect(error.key).toBe('value');
        expect(error.path).toBe(path);
        expect(error.message).toContain(problem);
      }
      // Data that crosses: nested plain objects, dates, maps, typed arrays.
      const ok = await runOnce(app, 'take', { value: new Map([['at', [new Date(0), new Uint8Array(2)]]]) });
      expect(returned(ok)).toBe('[object Map]');
    } finally {
      await stop();
    }
  });

  it('fails a run whose return value cannot come back', async () => {
    const { app, stop } = await started(mode);
    try {
      const failed = await runOnce(app, 'returnFunction');
      const error = (failed as { error: SerializationError }).error;
      expect(error).toBeInstanceOf(SerializationError);
      expect(error.path).toBe('returnValue.callback');
      expect(error.code).toBe('NOT_SERIALIZABLE');
      expect(error.key).toBe('return value');
      expect(error.message).toContain('returnValue.callback is a function');
    } finally {
      await stop();
    }
  });

  it('stops a CPU-bound loop at its timeout by killing the worker, and the next run gets the slot', async () => {
    const limit = mode === 'thread' ? { maxThreads: 1 } : { maxProcesses: 1 };
    const { app, stop } = await started(mode, { config: limit });
    try {
      const spun = nextEnd(app, 'spin');
      const after = nextEnd(app, 'where');
      const begun = firstValueFrom(app.events.pipe(filter((e) => e.type === 'taskStarted')));
      app.session.get('spin').run();
      await begun;
      app.session.get('where').run(); // waits for the only slot, held by the loop
      const terminated = await spun;
      expect(terminated.type).toBe('taskTerminated');
      expect((terminated as { reason: unknown }).reason).toBeInstanceOf(TaskTimeoutError);
      expect((await after).type).toBe('taskSucceeded');
      const records = await app.logs.records();
      const order = records.map((r) => `${r.taskName}:${r.action}`);
      expect(order).toEqual(['spin:run', 'spin:terminate', 'where:run', 'where:success']);
    } finally {
      await stop();
    }
  });

  it('aborts the signal first: a task that honours it returns and keeps its worker', async () => {
    const limit = mode === 'thread' ? { maxThreads: 1 } : { maxProcesses: 1 };
    const { app, stop } = await started(mode, { config: limit });
    try {
      const before = returned(await runOnce(app, 'where')) as Place;
      const terminated = nextEnd(app, 'cooperative');
      const begun = firstValueFrom(
        app.events.pipe(filter((e) => e.type === 'taskStarted' && e.taskName === 'cooperative')),
      );
      app.session.get('cooperative').run();
      await begun;
      app.session.get('cooperative').terminate();
      expect((await terminated).type).toBe('taskTerminated');
      expect(returned(await runOnce(app, 'where'))).toEqual(before);
    } finally {
      await stop();
    }
  });

  it('terminates a run when its end condition becomes true', async () => {
    const { app, stop } = await started(mode);
    try {
      const ended = nextEnd(app, 'untilWhere');
      const begun = firstValueFrom(
        app.events.pipe(filter((e) => e.type === 'taskStarted' && e.taskName === 'untilWhere')),
      );
      app.session.get('untilWhere').run();
      await begun;
      app.session.get('where').run();
      const end = await ended;
      expect(end.type).toBe('taskTerminated');
      expect((end as { reason: unknown }).reason).toBe('its end condition became true');
    } finally {
      await stop();
    }
  });

  it('records a worker that exits without a result as fail with its exit code, and goes on', async () => {
    const { app, stop } = await started(mode);
    try {
      const exited = await runOnce(app, 'exitEarly');
      const error = (exited as { error: WorkerCrashError }).error;
      expect(exited.type).toBe('taskFailed');
      expect(error).toBeInstanceOf(WorkerCrashError);
      expect(error.exitCode).toBe(3);
      expect(error.message).toContain(`exited with code 3 before returning a result`);
      const crashed = await runOnce(app, 'throwLater');
      expect((crashed as { error: WorkerCrashError }).error.message).toContain('thrown from a stray timer');
      expect((await runOnce(app, 'where')).type).toBe('taskSucceeded');
      expect(app.session.get('exitEarly').status).toBe('fail');
    } finally {
      await stop();
    }
  });

  it('runs multilaunch runs in parallel workers, each with its own runId, within the cap', async () => {
    const cap = mode === 'thread' ? { maxThreads: 3 } : { maxProcesses: 3 };
    const { app, stop } = await started(mode, { config: cap });
    const dir = mkdtempSync(join(tmpdir(), 'apogee-rendezvous-'));
    try {
      const rendezvous = app.session.get('rendezvous');
      const ends: Ended[] = [];
      const all = new Promise<void>((resolve) => {
        const sub = app.events.subscribe((e) => {
          if (ENDS.has(e.type) && 'taskName' in e && e.taskName === 'rendezvous') ends.push(e as Ended);
          if (ends.length === 5) {
            sub.unsubscribe();
            resolve();
          }
        });
      });
      // Each run waits until three are live at once, so the first three can only end if they ran
      // side by side, whatever the order or speed in which their workers started.
      for (let i = 0; i < 5; i++) rendezvous.run({ dir, count: 3 });
      await all;
      const records = await app.logs.records({ taskName: 'rendezvous' });
      expect(new Set(records.map((r) => r.runId)).size).toBe(5);
      expect(ends.map((e) => e.type)).toEqual(Array(5).fill('taskSucceeded'));
      const placeOf = new Map(ends.map((e) => [e.runId, JSON.stringify(returned(e))]));
      const firstThree = records.filter((r) => r.action === 'run').slice(0, 3);
      expect(new Set(firstThree.map((r) => placeOf.get(r.runId))).size).toBe(3);
      expect(new Set(placeOf.values()).size).toBe(3);
      expect(maxOverlap(records)).toBe(3);
    } finally {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives a freed worker to waiting runs by priority, then arrival', async () => {
    const limit = mode === 'thread' ? { maxThreads: 1 } : { maxProcesses: 1 };
    const { app, stop } = await started(mode, { config: limit });
    const dir = mkdtempSync(join(tmpdir(), 'apogee-gate-'));
    try {
      const release = join(dir, 'release');
      const blocker = nextEnd(app, 'gate');
      const begun = firstValueFrom(app.events.pipe(filter((e) => e.type === 'taskStarted')));
      app.session.get('gate').run({ release });
      await begun;
      const lowDone = nextEnd(app, 'low');
      app.session.get('low').run();
      await new Promise((resolve) => setImmediate(resolve));
      app.session.get('high').run();
      // The only worker is held until both wait for it, however long that takes.
      writeFileSync(release, '');
      await Promise.all([blocker, lowDone]);
      const starts = (await app.logs.records({ action: 'run' })).map((r) => r.taskName);
      expect(starts).toEqual(['gate', 'high', 'low']);
    } finally {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kills a stuck run at an instant shutdown, after the grace period', async () => {
    const { app, stop } = await started(mode, { config: { instantShutdown: true } });
    const dir = mkdtempSync(join(tmpdir(), 'apogee-stuck-'));
    try {
      const marker = join(dir, 'pid');
      const ended = nextEnd(app, 'stuck');
      app.session.get('stuck').run({ marker });
      const pid = Number(await fileContent(marker)); // the loop has begun
      await stop();
      const end = await ended;
      expect(end.type).toBe('taskTerminated');
      expect((end as { reason: unknown }).reason).toBe('the scheduler shut down');
      expect((await app.logs.records({ taskName: 'stuck' })).map((r) => r.action)).toEqual([
        'run',
        'terminate',
      ]);
      if (mode === 'process') expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds an app.task function by its export name, or by the app.task call its module makes', async () => {
    const app = new App({ config: { execution: mode } });
    app.task(
      { name: 'square', module: require.resolve('./fixtures/functionTasks'), inject: [Arg('n')] },
      (await import('./fixtures/functionTasks')).square,
    );
    app.task(
      { name: 'selfStarting', module: require.resolve('./fixtures/selfStartingApp') },
      () => 'parent copy',
    );
    const running = app.run({ handleSignals: false });
    try {
      expect(returned(await runOnce(app, 'square', { n: 7 }))).toBe(49);
      expect(returned(await runOnce(app, 'selfStarting'))).toBe('found through app.task in the worker');
    } finally {
      await app.shutdown();
      await running;
    }
  });
});

/** Resolves with the file's content once it exists (written by a task in a worker). */
async function fileContent(path: string): Promise<string> {
  while (!existsSync(path)) await new Promise((resolve) => setTimeout(resolve, 10));
  return readFileSync(path, 'utf8');
}

/** The most runs that were in progress at once, from run and end records. */
function maxOverlap(records: readonly RunRecord[]): number {
  let now = 0;
  let most = 0;
  for (const r of records) {
    now += r.action === 'run' ? 1 : -1;
    most = Math.max(most, now);
  }
  return most;
}
