import { Signature } from '../params/Signature';
import type { ResolutionHost } from '../params/ResolutionHost';
import { ResolutionScope } from '../params/ResolutionScope';
import { emptyHost } from '../scheduler/fixtures/fakes';
import type { ExecutableTask, RunListener } from './Executor';
import { InProcessExecutor } from './InProcessExecutor';
import { RunHandle } from './RunHandle';
import type { RunOutcome } from './runInProcess';

const host: ResolutionHost = emptyHost(new Map([['who', 'ada']]));

function job(invoke: (args: unknown[]) => unknown, keyed = false) {
  const task: ExecutableTask = {
    name: 't',
    owner: 't',
    execution: 'async',
    target: undefined,
    priority: 0,
    signature: Signature.compile(
      keyed ? [{ kind: 'keyed', key: 'who', fallback: undefined, decorator: "@Arg('who')" }] : [],
      't',
    ),
    invoke,
  };
  const run = new RunHandle('t', 'r1', 0);
  const scope = new ResolutionScope(host, undefined, 't', undefined, undefined, run);
  const heard: (string | RunOutcome)[] = [];
  const listener: RunListener = {
    begun: () => heard.push('begun'),
    ended: (_, outcome) => heard.push(outcome),
  };
  return { task, run, scope, heard, listener };
}

describe('InProcessExecutor', () => {
  it('always has room, begins a run at once and calls a parameterless task in the same turn', async () => {
    const executor = new InProcessExecutor();
    const calls: unknown[][] = [];
    const { task, run, scope, heard, listener } = job((args) => {
      calls.push(args);
      return 'done';
    });
    expect(executor.hasRoom()).toBe(true);
    executor.execute(task, scope, run, listener);
    expect(heard).toEqual(['begun']);
    expect(calls).toEqual([[]]);
    await new Promise((r) => setImmediate(r));
    expect(heard).toEqual(['begun', { action: 'success', returnValue: 'done' }]);
  });

  it('reports nothing for a run settled (terminated) before it ended', async () => {
    const executor = new InProcessExecutor();
    const { task, run, scope, heard, listener } = job(() => new Promise((r) => setImmediate(r)));
    executor.execute(task, scope, run, listener);
    run.settle();
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(heard).toEqual(['begun']);
    await expect(executor.close()).resolves.toBeUndefined();
  });

  it('resolves parameters first, and does not call a task whose run was settled meanwhile', async () => {
    const executor = new InProcessExecutor();
    const resolved = job((args) => args[0], true);
    executor.execute(resolved.task, resolved.scope, resolved.run, resolved.listener);
    await new Promise((r) => setImmediate(r));
    expect(resolved.heard).toEqual(['begun', { action: 'success', returnValue: 'ada' }]);
    let called = false;
    const { task, run, scope, heard, listener } = job(() => (called = true), true);
    executor.execute(task, scope, run, listener);
    run.settle();
    await new Promise((r) => setImmediate(r));
    expect(called).toBe(false);
    expect(heard).toEqual(['begun']);
  });
});
