/**
 * Every injection kind in 'queue' runs on a real Redis, decorator and inject: forms (the same
 * tasks as core's injection matrix): the task gets the right value on the worker, or registration
 * refuses it. A queue run's signal aborts on its timeout and on terminate() where it executes; its
 * progress and output come back to the leader's run.
 */
import {
  App,
  CurrentSession,
  CurrentTask,
  ManualLeadership,
  Progress,
  RunLogger,
  Signal,
  Task,
  type AppOptions,
  type OutputLine,
  type RunLoggerFn,
  type ScheduledTask,
  type SchedulerEvent,
} from '@apogee/core';
import { createQueueExecutor, queueExecution, type Executor, type RunHandle } from '@apogee/core/internal';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { filter, firstValueFrom } from 'rxjs';
import {
  ENV_NAME,
  MatrixTasks,
  registerMatrixFunctions,
} from '../../core/src/execution/remote/fixtures/injectionMatrix';
import { bullmq } from './bullmq';
import { waitFor } from './fixtures/waitFor';

jest.setTimeout(120_000);

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
  process.env[ENV_NAME] = 'from env';
});
afterAll(async () => {
  Reflect.deleteProperty(process.env, ENV_NAME);
  await server.stop();
});

let queues = 0;
type Ended = Extract<SchedulerEvent, { taskName: string; runId: string }>;
const ENDS = new Set(['taskSucceeded', 'taskFailed', 'taskTerminated', 'taskInacted']);

/**
 * A leading app on a queue of its own, its queue executor wrapped through the public `queue`
 * option; the lines runs write (`taskOutput`) are collected in `output`.
 */
function queueApp(options: AppOptions = {}): { app: App; output: OutputLine[] } {
  const { queue } = bullmq({ url: server.url, name: `inject-${String(++queues)}`, concurrency: 2 });
  const output: OutputLine[] = [];
  const app = new App({
    ...options,
    leadership: new ManualLeadership(true),
    config: { execution: 'queue', ...options.config },
    queue: queueExecution({
      create: (context) => {
        const inner: Executor = createQueueExecutor(queue, context);
        const wrapper: Executor = {
          hasRoom: (task) => inner.hasRoom(task),
          execute: (task, scope, run: RunHandle, listener) => {
            inner.execute(task, scope, run, listener);
          },
          open: () => inner.open?.() ?? Promise.resolve(),
          listen: (listener) => {
            inner.listen(listener);
          },
          liveElsewhere: () => inner.liveElsewhere?.() ?? Promise.resolve(new Set<string>()),
          close: () => inner.close(),
        };
        return wrapper;
      },
    }),
  });
  // Lines come back as the public taskOutput event, wherever the worker wrote them.
  app.events.subscribe((event) => {
    if (event.type === 'taskOutput') output.push(event.line);
  });
  return { app, output };
}

/** Runs `app` and resolves once its queue is open (the scheduler has started). */
async function start(app: App): Promise<{ running: Promise<void> }> {
  const started = firstValueFrom(app.events.pipe(filter((e) => e.type === 'schedulerStarted')));
  const running = app.run({ handleSignals: false });
  await started;
  return { running };
}

async function runOnce(app: App, taskName: string, params?: Record<string, unknown>): Promise<unknown> {
  const end = nextEnd(app, taskName);
  app.session.get(taskName).run(params);
  const event = await end;
  if (event.type === 'taskSucceeded') return event.returnValue;
  return `${event.type}: ${'error' in event ? String(event.error) : ''}`;
}

const nextEnd = (app: App, taskName: string): Promise<Ended> =>
  firstValueFrom(
    app.events.pipe(
      filter((e): e is Ended => ENDS.has(e.type) && 'taskName' in e && e.taskName === taskName),
    ),
  );

describe("execution 'queue'", () => {
  it.each(['decorator', 'inject'] as const)(
    'gives every kind that can reach a queue worker its value (%s form)',
    async (form) => {
      const { app, output } = queueApp({ argv: ['node', 'main', '--matrix', 'from argv'] });
      if (form === 'decorator') app.register(MatrixTasks);
      else registerMatrixFunctions(app);
      const progress = firstValueFrom(
        app.events.pipe(filter((e) => e.type === 'taskProgress' && e.taskName === 'progress')),
      );
      const { running } = await start(app);
      try {
        const before = Date.now();
        const got: Record<string, unknown> = { source: await runOnce(app, 'source') };
        for (const name of [
          'ret',
          'env',
          'cli',
          'signal',
          'progress',
          'logger',
          'injectClass',
          'injectToken',
        ])
          got[name] = await runOnce(app, name);
        got.arg = await runOnce(app, 'arg', { who: 'from batch' });
        const at = String(await runOnce(app, 'scheduledAt'));
        expect(got).toEqual({
          source: 'from source',
          arg: 'from batch',
          ret: 'from source',
          env: 'from env',
          cli: 'from argv',
          signal: '[object AbortSignal] aborted=false',
          progress: 'function',
          logger: ['debug', 'error', 'info', 'warn'],
          injectClass: 'hello ada',
          injectToken: 'token value',
        });
        expect(Date.parse(at)).toBeGreaterThanOrEqual(before - 1);
        expect(await progress).toMatchObject({ fraction: 0.5, message: 'half way' });
        const line = await waitFor('the run logger line', () => output[0]);
        expect(line).toMatchObject({
          level: 'info',
          message: 'hello from the run',
          fields: { password: '*****' },
        });
        expect(line.at).toBeInstanceOf(Date);
      } finally {
        await app.shutdown();
        await running;
      }
    },
  );

  it.each(['decorator', 'inject'] as const)(
    'refuses @CurrentTask() and @CurrentSession() at registration (%s form)',
    (form) => {
      class LocalOnly {
        @Task()
        currentTask(@CurrentTask() task: ScheduledTask): string {
          return task.name;
        }
        @Task()
        currentSession(@CurrentSession() session: unknown): string {
          return typeof session;
        }
      }
      const { app } = queueApp();
      const register = (): void => {
        if (form === 'decorator') app.register(LocalOnly);
        else app.task({ name: 'currentTask', inject: [CurrentTask()] }, (t: ScheduledTask) => t.name);
      };
      expect(register).toThrow(
        `Task "currentTask" (${form === 'decorator' ? 'LocalOnly.currentTask' : 'currentTask'}, execution 'queue' from config.execution) takes @CurrentTask(), which cannot cross to a worker (parameter #0): the task object lives in the scheduler's process`,
      );
      if (form === 'decorator')
        expect(register).toThrow(
          `Task "currentSession" (LocalOnly.currentSession, execution 'queue' from config.execution) takes @CurrentSession(), which cannot cross to a worker (parameter #0)`,
        );
    },
  );
});

/** Waits on its signal, reporting progress first; tells the test what the abort was. */
class Waiting {
  static aborts: string[] = [];
  @Task({ timeout: '2 seconds' })
  async timed(@Signal() signal: AbortSignal): Promise<string> {
    return Waiting.until(signal);
  }
  @Task({ timeout: 'never' })
  async reporting(
    @Signal() signal: AbortSignal,
    @Progress() progress: (fraction: number, message?: string) => void,
    @RunLogger() log: RunLoggerFn,
  ): Promise<string> {
    progress(0.25, 'a quarter');
    log.warn('still going');
    return Waiting.until(signal);
  }
  static async until(signal: AbortSignal): Promise<string> {
    await new Promise((resolve) => {
      signal.addEventListener('abort', resolve, { once: true });
    });
    Waiting.aborts.push((signal.reason as Error).message);
    return 'aborted';
  }
}

describe("a 'queue' run's signal, progress and output", () => {
  beforeEach(() => {
    Waiting.aborts = [];
  });

  it('aborts the signal where the run executes when its timeout passes', async () => {
    const { app } = queueApp();
    app.register(Waiting);
    const { running } = await start(app);
    try {
      const end = await runOnce(app, 'timed');
      expect(String(end)).toMatch(/^taskTerminated/);
      await waitFor('the worker to see the abort', () => Waiting.aborts[0]);
      expect(Waiting.aborts[0]).toContain('timeout');
    } finally {
      await app.shutdown();
      await running;
    }
  });

  it('sends progress and output to the leader (taskProgress, the live run), and terminate() aborts the signal', async () => {
    const { app, output } = queueApp();
    app.register(Waiting);
    const progress = firstValueFrom(
      app.events.pipe(filter((e) => e.type === 'taskProgress' && e.taskName === 'reporting')),
    );
    const { running } = await start(app);
    try {
      const end = nextEnd(app, 'reporting');
      app.session.get('reporting').run();
      expect(await progress).toMatchObject({ fraction: 0.25, message: 'a quarter' });
      expect(app.session.liveRuns('reporting')[0]?.progress).toEqual({
        fraction: 0.25,
        message: 'a quarter',
      });
      expect(await waitFor('the output line', () => output[0])).toMatchObject({
        level: 'warn',
        message: 'still going',
      });
      app.session.get('reporting').terminate();
      expect((await end).type).toBe('taskTerminated');
      expect(await waitFor('the worker to see the abort', () => Waiting.aborts[0])).toBeDefined();
    } finally {
      await app.shutdown();
      await running;
    }
  });
});
