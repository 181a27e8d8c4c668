import { Signature } from '../params/Signature';
import { Subject } from 'rxjs';
import { all } from '../conditions/Condition';
import { cond } from '../conditions/custom/CustomCondition';
import { when } from '../conditions/custom/when';
import { schedulerRunning } from '../conditions/session/schedulerRunning';
import { every } from '../conditions/time/every';
import { InProcessExecutor } from '../execution/InProcessExecutor';
import { calendarFor } from '../time/Calendar';
import type { CustomConditionDefinition } from './checks/CustomConditionDefinition';
import { definition, emptyHost, MemoryRecorder, RecordingSink } from './fixtures/fakes';
import { ManualLeadership } from './cluster/ManualLeadership';
import { ScheduledTask } from './task/ScheduledTask';
import { Scheduler } from './Scheduler';
import type { TaskDefinition } from './task/TaskDefinition';

const T0 = new Date('2026-05-04T08:00:00Z').getTime();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  jest.useFakeTimers({ now: T0 });
});
afterEach(() => {
  jest.useRealTimers();
});

/** A scheduler with the given tasks, following `leadership`. */
function scheduler(
  leadership: ManualLeadership,
  defs: TaskDefinition[],
  customs = new Map<string, CustomConditionDefinition>(),
) {
  const recorder = new MemoryRecorder();
  const tasks: ScheduledTask[] = [];
  const s = new Scheduler({
    tasks: { tasks, remove: () => false },
    state: recorder,
    recorder,
    events: new RecordingSink(),
    host: emptyHost(),
    customs,
    clock: { now: () => Date.now() },
    calendar: calendarFor('UTC'),
    executor: new InProcessExecutor(),
    leadership,
  });
  defs.forEach((def, i) => tasks.push(new ScheduledTask(def, s, i)));
  /** Seconds after T0 of each record of `taskName` with `action`. */
  const at = (taskName: string, action = 'run') =>
    recorder.records
      .filter((r) => r.taskName === taskName && r.action === action)
      .map((r) => (r.created.getTime() - T0) / 1000);
  return { scheduler: s, recorder, at };
}

describe('Scheduler and leadership', () => {
  it('starts nothing but its own start-up task until it becomes the leader, then schedules at once', async () => {
    const leadership = new ManualLeadership(false);
    const { scheduler: s, at } = scheduler(leadership, [
      definition('setup', { onStartup: true }),
      definition('tick', { start: every('1 second') }),
    ]);
    const done = s.start();
    await jest.advanceTimersByTimeAsync(5_000);
    expect(at('setup')).toEqual([0]);
    expect(at('tick')).toEqual([]);
    leadership.set(true);
    await jest.advanceTimersByTimeAsync(2_000);
    expect(at('tick')).toEqual([5, 6, 7]);
    await s.shutdown();
    await done;
  });

  it('stops starting runs when it loses leadership, and lets live runs finish', async () => {
    const leadership = new ManualLeadership(true);
    const { scheduler: s, at } = scheduler(leadership, [
      definition('tick', { start: every('1 second') }),
      definition('long', { start: every('1 second'), invoke: () => sleep(3_500) }),
    ]);
    const done = s.start();
    await jest.advanceTimersByTimeAsync(2_000);
    leadership.set(false);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(at('tick')).toEqual([0, 1, 2]);
    expect(at('long')).toEqual([0]);
    expect(at('long', 'success')).toEqual([3.5]);
    leadership.set(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(at('tick')).toEqual([0, 1, 2, 12]);
    const stopped = s.shutdown();
    await jest.advanceTimersByTimeAsync(3_500);
    await stopped;
    await done;
  });

  it('takes no emission when it loses leadership while a custom condition is awaited', async () => {
    const leadership = new ManualLeadership(true);
    const requests$ = new Subject<object>();
    const slow: CustomConditionDefinition = {
      name: 'slow',
      owner: 'slow',
      leading: 0,
      signature: Signature.EMPTY,
      poll: 1000,
      call: () => sleep(100).then(() => true),
    };
    const users: unknown[] = [];
    const { scheduler: s, at } = scheduler(
      leadership,
      [
        definition('report', {
          start: all(when(requests$), cond('slow')),
          signature: Signature.compile(
            [{ kind: 'keyed', key: 'user', fallback: undefined, decorator: "@Arg('user')" }],
            'user',
          ),
          invoke: ([user]) => users.push(user),
        }),
      ],
      new Map([['slow', slow]]),
    );
    const done = s.start();
    await jest.advanceTimersByTimeAsync(0);
    requests$.next({ user: 'ada' });
    await jest.advanceTimersByTimeAsync(50);
    leadership.set(false);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(at('report')).toEqual([]);
    leadership.set(true);
    await jest.advanceTimersByTimeAsync(100);
    expect(users).toEqual(['ada']);
    await s.shutdown();
    await done;
  });

  it('still stops by its shutdownWhen while it is not the leader', async () => {
    const { scheduler: s, at } = scheduler(new ManualLeadership(false), [
      definition('tick', { start: every('1 second') }),
      definition('teardown', { onShutdown: true }),
    ]);
    const done = s.start(schedulerRunning({ moreThan: '30 seconds' }));
    await jest.advanceTimersByTimeAsync(31_000);
    await expect(done).resolves.toBeUndefined();
    expect(at('tick')).toEqual([]);
    expect(at('teardown')).toEqual([30]);
  });
});

describe('ManualLeadership', () => {
  it('tells its listeners of each change, once, until they stop listening', () => {
    const leadership = new ManualLeadership(false);
    const heard: boolean[] = [];
    const stop = leadership.onChange((isLeader) => heard.push(isLeader));
    leadership.set(true);
    leadership.set(true);
    leadership.set(false);
    stop();
    leadership.set(true);
    expect(heard).toEqual([true, false]);
    expect(leadership.isLeader).toBe(true);
  });
});
