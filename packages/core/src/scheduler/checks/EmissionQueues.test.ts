import { Subject } from 'rxjs';
import { all } from '../../conditions/Condition';
import { always } from '../../conditions/constants';
import { when, WhenCondition } from '../../conditions/custom/when';
import { walkCondition } from '../../conditions/walkCondition';
import { EmissionQueues } from './EmissionQueues';
import { RecordingSink, task } from '../fixtures/fakes';
import type { ScheduledTask } from '../task/ScheduledTask';

const clock = { now: () => 1_000 };

function whens(t: ScheduledTask): WhenCondition[] {
  const found: WhenCondition[] = [];
  walkCondition(t.start, (c) => {
    if (c instanceof WhenCondition) found.push(c);
  });
  return found;
}

describe('EmissionQueues', () => {
  it('queues each emission for its task, wakes the task, and hands them out oldest first', () => {
    const users$ = new Subject<unknown>();
    const woken: string[] = [];
    const queues = new EmissionQueues({ wake: (t) => woken.push(t.name) }, new RecordingSink(), clock);
    const report = task('report', { start: when(users$) });
    queues.subscribe(report);
    const [source] = whens(report);
    users$.next({ user: 'ada' });
    users$.next('not an object');
    expect(woken).toEqual(['report', 'report']);
    expect(queues.pending(report, source as object)).toBe(2);
    expect(queues.take(report)?.params).toEqual({ user: 'ada' });
    expect(queues.take(report)?.params).toEqual({});
    expect(queues.take(report)).toBeUndefined();
  });

  it('takes one emission of each when() at once, merged into one batch', () => {
    const a$ = new Subject<object>();
    const b$ = new Subject<object>();
    const queues = new EmissionQueues({ wake: () => undefined }, new RecordingSink(), clock);
    const both = task('both', { start: all(when(a$), when(b$), always) });
    queues.subscribe(both);
    a$.next({ a: 1 });
    a$.next({ a: 2 });
    b$.next({ b: 1 });
    expect(queues.take(both)?.params).toEqual({ a: 1, b: 1 });
    expect(whens(both).map((w) => queues.pending(both, w))).toEqual([1, 0]);
  });

  it('reports a failing source as a failed condition of the task', () => {
    const source$ = new Subject<unknown>();
    const sink = new RecordingSink();
    const queues = new EmissionQueues({ wake: () => undefined }, sink, clock);
    queues.subscribe(task('t', { start: when(source$) }));
    source$.error(new Error('stream broke'));
    expect(sink.events).toEqual([
      { type: 'conditionFailed', taskName: 't', at: new Date(1_000), error: new Error('stream broke') },
    ]);
  });

  it('ignores emissions after unsubscribing, and keeps what was queued', () => {
    const source$ = new Subject<unknown>();
    const queues = new EmissionQueues({ wake: () => undefined }, new RecordingSink(), clock);
    const t = task('t', { start: when(source$) });
    queues.subscribe(t);
    source$.next({ n: 1 });
    queues.unsubscribeAll();
    source$.next({ n: 2 });
    expect(source$.observed).toBe(false);
    expect(queues.take(t)?.params).toEqual({ n: 1 });
    expect(queues.take(t)).toEqual(undefined);
  });
});
