import { captureError, runFor, useFakeClock } from '@apogee/test-utils';
import { ConfigurationError } from '../errors/ConfigurationError';
import type { ExecutableTask, Executor, RunListener } from '../execution/Executor';
import type { RunHandle } from '../execution/RunHandle';
import type { ResolutionScope } from '../params/ResolutionScope';
import { App } from './App';
import { queueExecution, type QueueContext, type QueueExecutorSpec } from './QueueExecution';

/** A queue that runs each job at once in this process, and notes what the app asked of it. */
class RecordingQueue implements QueueExecutorSpec, Executor {
  readonly calls: string[] = [];
  context: QueueContext | undefined;

  create(app: QueueContext): Executor {
    this.context = app;
    return this;
  }
  hasRoom(): boolean {
    return true;
  }
  listen(): void {
    // Always has room.
  }
  open(): Promise<void> {
    this.calls.push('open');
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.calls.push('close');
    return Promise.resolve();
  }
  execute(task: ExecutableTask, scope: ResolutionScope, run: RunHandle, listener: RunListener): void {
    this.calls.push(`execute ${task.name}`);
    listener.begun(run);
    void scope.resolveInjections(task.signature.injections, task.owner).then((args) => {
      listener.ended(run, { action: 'success', returnValue: task.invoke(args) });
    });
  }
}

describe("execution 'queue' in core", () => {
  useFakeClock(new Date('2030-01-01T00:00:00Z'));

  it('refuses a queue task at registration when the app has no queue, naming the task and the fix', () => {
    const app = new App();
    const error = captureError(() => app.task({ name: 'bill', execution: 'queue' }, () => 1));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ taskName: 'bill' });
    expect((error as Error).message).toContain('Task "bill" (bill) execution');
    expect((error as Error).message).toContain('...bullmq({ url, name })');
    expect(app.session.tasks).toHaveLength(0);
  });

  it('refuses it too when the queue comes from config.execution, and says so', () => {
    const app = new App({ config: { execution: 'queue' } });
    const error = captureError(() => app.task({ name: 'bill' }, () => 1));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('Task "bill" (bill) execution (from config.execution)');
  });

  it('sends queue runs to the executor the queue option creates, opened before the scheduler starts and closed after it stops', async () => {
    const queue = new RecordingQueue();
    const app = new App({ queue: queueExecution(queue), config: { execution: 'queue' } });
    app.task({ name: 'bill', start: 'every 10 seconds' }, () => 'billed');
    app.task({ name: 'local', execution: 'async', start: 'every 10 seconds' }, () => 'here');
    expect(queue.context?.findTask('bill')?.name).toBe('bill');
    expect(queue.context?.leadership).toBeUndefined();
    await runFor(app, 25_000);
    expect(queue.calls).toEqual(['open', 'execute bill', 'execute bill', 'execute bill', 'close']);
    const bills = await app.logs.records({ taskName: 'bill', action: 'success' });
    expect(bills.map((r) => r.returnValue)).toEqual(['billed', 'billed', 'billed']);
    expect(await app.logs.records({ taskName: 'local', action: 'success' })).toHaveLength(3);
  });
});
