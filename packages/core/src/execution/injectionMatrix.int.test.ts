/**
 * Every injection kind in every in-process and worker execution mode, in the decorator and the
 * inject: form: the task gets the right value, or registration refuses it naming task, position,
 * decorator and fix. (Queue runs: packages/bullmq/src/queueInjection.int.test.ts.)
 */
import 'reflect-metadata';
import { filter, firstValueFrom } from 'rxjs';
import { App } from '../app/App';
import { CurrentSession } from '../decorators/CurrentSession';
import { CurrentTask } from '../decorators/CurrentTask';
import { Task } from '../decorators/Task';
import type { SchedulerEvent } from '../scheduler/events/SchedulerEvent';
import type { ScheduledTask } from '../scheduler/task/ScheduledTask';
import { ENV_NAME, MatrixTasks, registerMatrixFunctions } from './remote/fixtures/injectionMatrix';

// Real workers on a loaded machine: generous, and no test waits for a fixed delay.
jest.setTimeout(120_000);

const MODES = ['main', 'async', 'thread', 'process'] as const;
type Mode = (typeof MODES)[number];
const FORMS = ['decorator', 'inject'] as const;
type Form = (typeof FORMS)[number];

type Ended = Extract<SchedulerEvent, { taskName: string; runId: string }>;
const ENDS = new Set(['taskSucceeded', 'taskFailed', 'taskTerminated', 'taskInacted']);

/** Runs `taskName` once and resolves with what it returned (or why it did not). */
async function runOnce(app: App, taskName: string, params?: Record<string, unknown>): Promise<unknown> {
  const end = firstValueFrom(
    app.events.pipe(
      filter((e): e is Ended => ENDS.has(e.type) && 'taskName' in e && e.taskName === taskName),
    ),
  );
  app.session.get(taskName).run(params);
  const event = await end;
  if (event.type === 'taskSucceeded') return event.returnValue;
  return `${event.type}: ${'error' in event ? String(event.error) : ''}`;
}

function matrixApp(mode: Mode, form: Form): App {
  const app = new App({ config: { execution: mode }, argv: ['node', 'main', '--matrix', 'from argv'] });
  if (form === 'decorator') app.register(MatrixTasks);
  else registerMatrixFunctions(app);
  return app;
}

beforeAll(() => {
  process.env[ENV_NAME] = 'from env';
});
afterAll(() => {
  Reflect.deleteProperty(process.env, ENV_NAME);
});

describe.each(MODES)('%s execution', (mode) => {
  it.each(FORMS)('gives every kind that can reach it its value (%s form)', async (form) => {
    const app = matrixApp(mode, form);
    const progress = firstValueFrom(
      app.events.pipe(filter((e) => e.type === 'taskProgress' && e.taskName === 'progress')),
    );
    const running = app.run({ handleSignals: false });
    try {
      const before = Date.now();
      const got: Record<string, unknown> = {};
      got.source = await runOnce(app, 'source');
      for (const name of ['ret', 'env', 'cli', 'signal', 'progress', 'logger', 'injectClass', 'injectToken'])
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
      expect(Date.parse(at)).toBeLessThanOrEqual(Date.now());
      expect(await progress).toMatchObject({ fraction: 0.5, message: 'half way' });
    } finally {
      await app.shutdown();
      await running;
    }
  });
});

/** Tasks taking what lives only in the scheduler's process. */
class LocalOnly {
  @Task()
  currentTask(@CurrentTask() task: ScheduledTask): string {
    return task.name;
  }
  @Task()
  currentSession(@CurrentSession() session: { get(name: string): unknown }): string {
    return typeof session.get;
  }
}

function registerLocalOnly(app: App, form: Form): void {
  if (form === 'decorator') app.register(LocalOnly);
  else {
    app.task(
      { name: 'currentTask', module: __filename, inject: [CurrentTask()] },
      (t: ScheduledTask) => t.name,
    );
    app.task(
      { name: 'currentSession', module: __filename, inject: [CurrentSession()] },
      (s: { get: unknown }) => typeof s.get,
    );
  }
}

describe.each(['main', 'async'] as const)('%s execution', (mode) => {
  it.each(FORMS)('gives @CurrentTask() and @CurrentSession() (%s form)', async (form) => {
    const app = new App({ config: { execution: mode } });
    registerLocalOnly(app, form);
    const running = app.run({ handleSignals: false });
    try {
      expect(await runOnce(app, 'currentTask')).toBe('currentTask');
      expect(await runOnce(app, 'currentSession')).toBe('function');
    } finally {
      await app.shutdown();
      await running;
    }
  });
});

describe.each(['thread', 'process'] as const)('%s execution', (mode) => {
  it.each(FORMS)('refuses @CurrentTask() and @CurrentSession() at registration (%s form)', (form) => {
    const app = new App({ config: { execution: mode } });
    const owner = (name: string): string => (form === 'decorator' ? `LocalOnly.${name}` : name);
    let error: unknown;
    try {
      registerLocalOnly(app, form);
    } catch (caught) {
      error = caught;
    }
    const message = String((error as Error | undefined)?.message);
    expect(message).toContain(
      `Task "currentTask" (${owner('currentTask')}, execution '${mode}' from config.execution) takes @CurrentTask(), which cannot cross to a worker (parameter #0): the task object lives in the scheduler's process`,
    );
    if (form === 'decorator')
      expect(message).toContain(
        `Task "currentSession" (LocalOnly.currentSession, execution '${mode}' from config.execution) takes @CurrentSession(), which cannot cross to a worker (parameter #0): the session lives in the scheduler's process`,
      );
    expect(message).toContain(
      "Fix: pass what the task needs from it as parameters (@Arg('key')), or use execution 'async'.",
    );
    expect(app.session.tasks).toHaveLength(0);
  });
});
