import { Signature } from '../params/Signature';
import type { Execution } from '../metadata/TaskOptions';
import { ResolutionScope } from '../params/ResolutionScope';
import { emptyHost } from '../scheduler/fixtures/fakes';
import type { ExecutableTask, Executor, RoomListener, RunListener } from './Executor';
import { ExecutorByKind } from './ExecutorByKind';
import { RemoteExecutor } from './remote/RemoteExecutor';
import { RunHandle } from './RunHandle';

/** Notes what it is asked, for `name`. */
class Spy implements Executor {
  readonly asked: string[] = [];
  listener: RoomListener | undefined;
  constructor(private readonly name: string) {}
  hasRoom(task: ExecutableTask): boolean {
    this.asked.push(`${this.name} hasRoom ${task.name}`);
    return this.name === 'local';
  }
  execute(task: ExecutableTask): void {
    this.asked.push(`${this.name} execute ${task.name}`);
  }
  listen(listener: RoomListener): void {
    this.listener = listener;
  }
  close(): Promise<void> {
    this.asked.push(`${this.name} close`);
    return Promise.resolve();
  }
}

const taskOf = (execution: Execution): ExecutableTask => ({
  name: execution,
  owner: execution,
  execution,
  target: undefined,
  priority: 0,
  signature: Signature.EMPTY,
  invoke: () => undefined,
});
/** Parameterless tasks never read their scope. */
const scope = new ResolutionScope(
  emptyHost(),

  undefined,
  undefined,
  undefined,
  undefined,
  { signal: new AbortController().signal },
);
const listener: RunListener = { begun: () => undefined, ended: () => undefined };

describe('ExecutorByKind', () => {
  it('sends each run to the executor of its kind, and tells and closes each executor once', async () => {
    const local = new Spy('local');
    const queue = new Spy('queue');
    const executor = new ExecutorByKind({ main: local, async: local, thread: queue, process: queue });
    expect([executor.hasRoom(taskOf('main')), executor.hasRoom(taskOf('process'))]).toEqual([true, false]);
    executor.execute(taskOf('async'), scope, new RunHandle('async', 'r1', 0), listener);
    executor.execute(taskOf('thread'), scope, new RunHandle('thread', 'r2', 0), listener);
    const room: RoomListener = { roomFor: () => undefined };
    executor.listen(room);
    await executor.close();
    expect(local.asked).toEqual(['local hasRoom main', 'local execute async', 'local close']);
    expect(queue.asked).toEqual(['queue hasRoom process', 'queue execute thread', 'queue close']);
    expect([local.listener, queue.listener]).toEqual([room, room]);
  });

  it('by default runs main and async in this process, and thread and process on workers', async () => {
    const standard = ExecutorByKind.standard({ tasks: { tasks: [] } });
    const heard: string[] = [];
    const noting: RunListener = {
      begun: (run) => heard.push(`${run.taskName} begun`),
      ended: (run, outcome) => heard.push(`${run.taskName} ${outcome.action}`),
    };
    for (const execution of ['main', 'async', 'thread', 'process'] as const)
      standard.execute(taskOf(execution), scope, new RunHandle(execution, execution, 0), noting);
    await new Promise((r) => setImmediate(r));
    // In process: called at once. On workers: refused, as these tasks name no module to load.
    expect(heard).toEqual([
      'main begun',
      'async begun',
      'thread begun',
      'thread fail',
      'process begun',
      'process fail',
      'main success',
      'async success',
    ]);
    await standard.close();
  });
});

describe('RemoteExecutor', () => {
  it('fails a run it cannot place on a worker (no thread or process execution, or no target) without starting one', () => {
    const executor = new RemoteExecutor({ tasks: { tasks: [] } });
    const heard: string[] = [];
    const run = new RunHandle('async', 'r1', 0);
    executor.execute(taskOf('async'), scope, run, {
      begun: () => heard.push('begun'),
      ended: (_, outcome) =>
        heard.push(`${outcome.action}: ${String((outcome as { error: unknown }).error)}`),
    });
    expect(heard).toEqual([
      'begun',
      `fail: ExecutionUnavailableError: Task "async": RemoteExecutor was handed task "async" with execution 'async' and no target module; it runs only 'thread' and 'process' tasks with a target.\n` +
        'Fix: register the task through App (which finds its module), or hand it to the executor of its own execution.',
    ]);
    expect(executor.hasRoom(taskOf('async'))).toBe(true);
  });
});
