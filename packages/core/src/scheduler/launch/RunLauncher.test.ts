import { TaskTimeoutError } from '../../errors/TaskTimeoutError';
import type { RunHandle } from '../../execution/RunHandle';
import { TaskInaction } from '../../execution/TaskInaction';
import { emptyHost, ManualExecutor, MemoryRecorder, RecordingSink, task } from '../fixtures/fakes';
import { RunLauncher } from './RunLauncher';
import type { ScheduledTask } from '../task/ScheduledTask';
import { WakeQueue } from '../loop/WakeQueue';

function launcher() {
  let now = 1_000;
  const clock = { now: () => now };
  const executor = new ManualExecutor();
  const recorder = new MemoryRecorder();
  const events = new RecordingSink();
  const wakes = new WakeQueue<RunHandle>();
  const context = { looked: [] as string[], touched: [] as string[], passes: 0 };
  const runs = new RunLauncher({ clock, executor, recorder, events, host: emptyHost() }, wakes, {
    lookAt: (t: ScheduledTask) => context.looked.push(t.name),
    touched: (t: ScheduledTask) => context.touched.push(t.name),
    requestPass: () => context.passes++,
  });
  const advance = (ms: number) => (now += ms);
  return { runs, executor, recorder, events, wakes, context, advance };
}

describe('RunLauncher', () => {
  it('records a run when the executor begins it and when it ends, and tells the scheduler both times', () => {
    const { runs, executor, recorder, events, context, advance } = launcher();
    const t = task('t');
    const run = runs.launch(t, { params: { user: 'ada' }, runId: 'reserved-1' });
    expect(executor.runs[0]?.scope.batch).toEqual({ user: 'ada' });
    expect(run.runId).toBe('reserved-1');
    expect(recorder.records).toEqual([]);
    expect(runs.liveCount(t)).toBe(1);
    advance(5);
    executor.begin(0);
    expect(context.touched).toEqual(['t']);
    advance(20);
    executor.end(0, { action: 'success', returnValue: 42 });
    expect(recorder.records.map((r) => [r.action, r.created.getTime(), r.runtime, r.runId])).toEqual([
      ['run', 1_005, undefined, run.runId],
      ['success', 1_025, 20, run.runId],
    ]);
    expect(recorder.returns.get('t')).toBe(42);
    expect(events.types()).toEqual(['taskStarted:t', 'taskSucceeded:t']);
    expect([context.looked, context.touched]).toEqual([['t'], ['t', 't']]);
    expect(runs.liveCount(t)).toBe(0);
    expect(run.settled).toBe(true);
  });

  it('builds no per-run events while nobody listens', () => {
    const { runs, executor, recorder, events } = launcher();
    events.listening = false;
    runs.launch(task('t'), undefined);
    executor.end(0, { action: 'inaction', error: new TaskInaction() });
    expect(recorder.actions()).toEqual(['t:run', 't:inaction']);
    expect(events.events).toEqual([]);
  });

  it('times a run out through the wake queue, and ignores its later outcome', () => {
    const { runs, executor, recorder, wakes, advance } = launcher();
    const t = task('slow', { timeout: 10_000 });
    const run = runs.launch(t, undefined);
    executor.begin(0);
    expect(wakes.peek()).toBe(11_000);
    advance(10_000);
    for (const due of wakes.popDue(11_000)) runs.timeOut(due);
    expect(run.signal.aborted).toBe(true);
    executor.end(0, { action: 'success', returnValue: 'late' });
    expect(recorder.actions()).toEqual(['slow:run', 'slow:terminate']);
    expect(recorder.records[1]?.error).toBeInstanceOf(TaskTimeoutError);
  });

  it('has no timeout for permanent tasks', () => {
    const { runs, executor, wakes } = launcher();
    runs.launch(task('daemon', { timeout: 10_000, permanent: true }), undefined);
    executor.begin(0);
    expect(wakes.peek()).toBe(Infinity);
  });

  it('records a run terminated while it waited to begin as started and terminated at once', async () => {
    const { runs, recorder, wakes } = launcher();
    const t = task('t', { timeout: 5_000 });
    const first = runs.launch(t, undefined);
    runs.launch(t, undefined);
    runs.terminate(t, 'stop');
    expect(recorder.actions()).toEqual(['t:run', 't:terminate', 't:run', 't:terminate']);
    expect(recorder.records[1]?.error).toBe('stop');
    expect(wakes.peek()).toBe(Infinity);
    await expect(first.done).resolves.toBeUndefined();
    await expect(runs.drain()).resolves.toBeUndefined();
  });

  it('remembers tasks that found no room and has them looked at when room comes back for their kind', () => {
    const { runs, executor, context } = launcher();
    const threaded = task('threaded', { execution: 'thread' });
    const forked = task('forked', { execution: 'process' });
    executor.room = false;
    expect(runs.canLaunch(threaded)).toBe(false);
    expect(runs.canLaunch(forked)).toBe(false);
    executor.listener?.roomFor('thread');
    expect(context.looked).toEqual(['threaded']);
    expect(context.passes).toBe(1);
    executor.listener?.roomFor('thread');
    expect(context.looked).toEqual(['threaded']);
    executor.room = true;
    expect(runs.canLaunch(forked)).toBe(true);
  });
});
