import { runFor, start, useFakeClock } from '@apogee/test-utils';
import {
  App,
  afterSuccess,
  Arg,
  Cli,
  Cond,
  CurrentSession,
  Env,
  FuncArg,
  MemoryRunLog,
  MissingParameterError,
  Param,
  ParameterCycleError,
  ParameterProviderError,
  Return,
  ReturnArg,
  SessionArg,
  Signal,
  Task,
  TaskInaction,
  UnknownTaskError,
  cond,
  every,
  never,
  type Execution,
  type Session,
} from '../index';

useFakeClock(new Date('2026-03-02T12:00:00Z'));

describe('batches', () => {
  it('runs queued batches oldest first, one run each, with batch values over the function fallback', async () => {
    const seen: unknown[] = [];
    const app = new App();
    const task = app.task({ name: 'collect', start: never, inject: [Arg('x', 'fallback')] }, (x: unknown) => {
      seen.push(x);
    });
    task.run({ x: 1 });
    task.run({ x: 2 });
    task.run();
    task.run({ x: 3 });
    expect(task.batches).toEqual([{ x: 1 }, { x: 2 }, {}, { x: 3 }]);
    await runFor(app, 1000);
    expect(seen).toEqual([1, 2, 'fallback', 3]);
    expect(task.batches).toEqual([]);
  });

  it('runs a batch even when the task is disabled or its condition is false', async () => {
    const app = new App();
    let runs = 0;
    const task = app.task({ name: 'manual', start: never, disabled: true }, () => {
      runs++;
    });
    const running = await start(app);
    await running.advance(5000);
    expect(runs).toBe(0);
    task.run();
    await running.advance(10);
    expect(runs).toBe(1);
    await running.stop();
  });

  it('lets only equal keys override: one run uses keys from all four levels', async () => {
    class Jobs {
      @Task({ parameters: { b: 'task-b', a: 'task-a' } })
      mix(@Arg('a') a: string, @Arg('b') b: string, @Arg('c', 'function-c') c: string, @Arg('d') d: string) {
        return [a, b, c, d].join(',');
      }
    }
    const app = new App({ tasks: [Jobs], params: { a: 'session-a', d: 'session-d', c: 'session-c' } });
    app.session.get('mix').run({ a: 'batch-a' });
    await runFor(app, 10);
    expect(app.session.returns.get('mix')).toBe('batch-a,task-b,function-c,session-d');
  });
});

describe.each<Execution>(['main', 'async'])('a failure while starting a run (%s execution)', (execution) => {
  it.each([
    ['a missing parameter', MissingParameterError, {}],
    [
      'a parameter cycle',
      ParameterCycleError,
      { needed: new SessionArg('other'), other: new SessionArg('needed') },
    ],
    [
      'a throwing provider',
      ParameterProviderError,
      {
        needed: new FuncArg(() => {
          throw new Error('provider down');
        }),
      },
    ],
  ])('records %s as run then fail, and the scheduler keeps running', async (_label, errorClass, params) => {
    const app = new App({ params, config: { execution } });
    app.task({ name: 'broken', start: every('1 minute'), inject: [Arg('needed')] }, () => 'never');
    let ticks = 0;
    app.task({ name: 'healthy', start: every('10 seconds') }, () => ++ticks);
    const running = await runFor(app, 125_000);
    const broken = await app.logs.records({ taskName: 'broken' });
    expect(broken.map((r) => r.action)).toEqual(['run', 'fail', 'run', 'fail', 'run', 'fail']);
    expect(broken[1]?.error).toBeInstanceOf(errorClass);
    expect(app.session.get('broken').status).toBe('fail');
    expect(ticks).toBe(13);
    expect(running.types().filter((t) => t.endsWith(':broken'))).toEqual([
      'taskStarted:broken',
      'taskFailed:broken',
      'taskStarted:broken',
      'taskFailed:broken',
      'taskStarted:broken',
      'taskFailed:broken',
    ]);
  });
});

describe('task state and events', () => {
  it('emits the exact ordered events of a start, a success, a failure, an inaction and a stop', async () => {
    const app = new App();
    let n = 0;
    app.task({ name: 'job', start: every('1 minute') }, () => {
      n++;
      if (n === 2) throw new Error('second run fails');
      if (n === 3) throw new TaskInaction();
      return n;
    });
    const running = await runFor(app, 150_000);
    expect(running.types()).toEqual([
      'schedulerStarted',
      'taskStarted:job',
      'taskSucceeded:job',
      'taskStarted:job',
      'taskFailed:job',
      'taskStarted:job',
      'taskInacted:job',
      'schedulerStopped',
    ]);
  });

  it('keeps status, last run times and isRunning up to date', async () => {
    const app = new App();
    let fail = false;
    const task = app.task({ name: 'job', start: every('1 minute') }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (fail) throw new Error('nope');
    });
    expect(task.status).toBeUndefined();
    const running = await start(app);
    expect(task.isRunning).toBe(true);
    expect(task.status).toBe('run');
    expect(task.lastRun).toEqual(new Date('2026-03-02T12:00:00Z'));
    await running.advance(1000);
    expect(task.isRunning).toBe(false);
    expect(task.status).toBe('success');
    expect(task.lastSuccess).toEqual(new Date('2026-03-02T12:00:01Z'));
    fail = true;
    await running.advance(60_000);
    expect(task.status).toBe('fail');
    expect(task.lastFail).toEqual(new Date('2026-03-02T12:01:01Z'));
    await running.stop();
  });

  it('keeps the last successful return value per task, a failure leaving it in place', async () => {
    const app = new App();
    let n = 0;
    app.task({ name: 'producer', start: every('1 minute') }, () => {
      n++;
      if (n === 2) throw new Error('x');
      return n;
    });
    await runFor(app, 61_000);
    expect(app.session.returns.get('producer')).toBe(1);
  });

  it('suggests close names for an unknown task', () => {
    const app = new App();
    app.task({ name: 'fetch_data' }, () => undefined);
    expect(() => app.session.get('fetch_dat')).toThrow(UnknownTaskError);
    expect(() => app.session.get('fetch_dat')).toThrow(/Did you mean "fetch_data"/);
  });
});

describe('run log', () => {
  it('returns records oldest first, filtered by task and action', async () => {
    const app = new App();
    app.task({ name: 'a', start: every('1 minute') }, () => 'A');
    app.task({ name: 'b', start: every('1 minute') }, () => 'B');
    await runFor(app, 61_000);
    const all = await app.logs.records();
    expect(all.map((r) => `${r.taskName}:${r.action}`)).toEqual([
      'a:run',
      'b:run',
      'a:success',
      'b:success',
      'a:run',
      'b:run',
      'a:success',
      'b:success',
    ]);
    const aSuccess = await app.logs.records({ taskName: 'a', action: 'success' });
    expect(aSuccess).toHaveLength(2);
    expect(aSuccess[0]).toMatchObject({ taskName: 'a', action: 'success', returnValue: 'A', runtime: 0 });
    expect(aSuccess[0]?.runId).toBe((await app.logs.records({ taskName: 'a', action: 'run' }))[0]?.runId);
  });

  it('keeps only the last records per task (1,000 by default, configurable)', async () => {
    const app = new App({ log: new MemoryRunLog({ perTask: 3 }) });
    app.task({ name: 'tick', start: every('1 second') }, () => undefined);
    await runFor(app, 9500);
    const records = await app.logs.records({ taskName: 'tick' });
    expect(records).toHaveLength(3);
    expect(records.at(-1)?.created).toEqual(new Date('2026-03-02T12:00:09Z'));
  });
});

describe('injection', () => {
  it('injects env and command-line values, the session and the run signal', async () => {
    let signal: AbortSignal | undefined;
    let session: Session | undefined;
    class Jobs {
      @Task({ timeout: '5 seconds' })
      async job(
        @Env('REGION') region: string,
        @Cli('--mode') mode: string,
        @CurrentSession() s: Session,
        @Signal() sig: AbortSignal,
      ) {
        signal = sig;
        session = s;
        await new Promise((resolve) => setTimeout(resolve, 60_000));
        return `${region}/${mode}`;
      }
    }
    const app = new App({ tasks: [Jobs], env: { REGION: 'eu' }, argv: ['node', 'x', '--mode', 'fast'] });
    app.session.get('job').run();
    const running = await runFor(app, 6000);
    expect(session).toBe(app.session);
    expect(signal?.aborted).toBe(true);
    const [terminated] = await app.logs.records({ taskName: 'job', action: 'terminate' });
    expect(String(terminated?.error)).toContain('ran longer than its timeout of 5000 ms');
    expect(running.types()).toContain('taskTerminated:job');
  });

  it('resolves @Param providers lazily, with their own injected parameters (params in params)', async () => {
    const calls: string[] = [];
    class Params {
      @Param('db_url')
      dbUrl(@Arg('db_host') host: string) {
        calls.push('db_url');
        return `postgres://${host}`;
      }
      @Param('unused')
      unused() {
        calls.push('unused');
        return 0;
      }
      @Param('slow')
      async slow() {
        calls.push('slow');
        return Promise.resolve('async value');
      }
    }
    class Jobs {
      @Task()
      load(@Arg('db_url') url: string, @Arg('slow') slow: string, @Arg('db_url') again: string) {
        return [url, slow, again];
      }
    }
    const app = new App({ tasks: [Params, Jobs], params: { db_host: 'db.local' } });
    app.session.get('load').run();
    await runFor(app, 10);
    expect(app.session.returns.get('load')).toEqual([
      'postgres://db.local',
      'async value',
      'postgres://db.local',
    ]);
    expect(calls).toEqual(['db_url', 'slow']);
  });

  it('passes a function-level argument such as ReturnArg through @Arg, overridable by a batch', async () => {
    const app = new App();
    app.task({ name: 'producer' }, () => 'produced');
    const consumer = app.task(
      { name: 'consumer', inject: [Arg('data', new ReturnArg('producer'))] },
      (d: string) => d,
    );
    app.session.get('producer').run();
    const running = await start(app);
    consumer.run();
    await running.advance(10);
    consumer.run({ data: 'from batch' });
    await running.advance(10);
    await running.stop();
    const values = (await app.logs.records({ taskName: 'consumer', action: 'success' })).map(
      (r) => r.returnValue,
    );
    expect(values).toEqual(['produced', 'from batch']);
  });

  it('gives parameters to custom conditions, after the arguments bound by cond(name, ...args)', async () => {
    const checks: unknown[] = [];
    class Checks {
      @Cond('threshold reached', { poll: '10 seconds' })
      reached(limit: number, @Arg('level') level: number) {
        checks.push([limit, level]);
        return level >= limit;
      }
    }
    const app = new App({ tasks: [Checks], params: { level: 5 } });
    let runs = 0;
    app.task({ name: 'alarm', start: cond('threshold reached', 3).and(every('1 minute')) }, () => ++runs);
    app.task({ name: 'quiet', start: cond('threshold reached', 9).and(every('1 minute')) }, () => undefined);
    await runFor(app, 25_000);
    expect(runs).toBe(1);
    expect(checks.slice(0, 2)).toEqual([
      [3, 5],
      [9, 5],
    ]);
  });

  it('supports the whole no-decorator form: app.task, app.cond and app.param with descriptors', async () => {
    const app = new App();
    app.param({ name: 'base', inject: [Arg('offset', 100)] }, (offset: number) => offset + 1);
    app.cond(
      { name: 'allowed', inject: [Arg('base')] },
      (expected: number, base: number) => base === expected,
    );
    app.task({ name: 'fetch' }, () => [1, 2, 3]);
    app.task(
      {
        name: 'sum',
        start: cond('allowed', 101).and(afterSuccess('fetch')),
        inject: [Return('fetch'), Arg('base')],
      },
      (rows: number[], base: number) => rows.reduce((a, b) => a + b, base),
    );
    app.session.get('fetch').run();
    await runFor(app, 2000);
    expect(app.session.returns.get('sum')).toBe(107);
  });
});
