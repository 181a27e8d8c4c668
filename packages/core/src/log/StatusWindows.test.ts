import { between } from '../conditions/time/restrict';
import { calendarFor } from '../time/Calendar';
import type { RunAction } from '../conditions/runActions';
import { TaskStateIndex } from './TaskStateIndex';

const record = (action: RunAction, iso: string) => ({
  taskName: 'x',
  action,
  runId: 'r',
  created: new Date(iso),
});

describe('TaskStateIndex.lastInside', () => {
  const calendar = calendarFor('UTC');
  const morning = between('day', '07:00', '08:00', 'test').period;

  it.each<[string, RunAction[], RunAction]>([
    ['started', ['run'], 'run'],
    ['terminated', ['terminate'], 'terminate'],
    ['finished', ['success', 'fail', 'terminate'], 'fail'],
  ])('keeps the latest %s record inside the window after a later one outside it', (_, actions, action) => {
    const index = new TaskStateIndex();
    // Asked before any record: tracked from then on.
    expect(index.lastInside('x', { actions, period: morning, calendar })).toBeUndefined();
    index.apply(record(action, '2026-05-04T07:20:00Z'));
    index.apply(record(action, '2026-05-04T09:00:00Z'));
    expect(index.lastInside('x', { actions, period: morning, calendar })).toBe(
      new Date('2026-05-04T07:20:00Z').getTime(),
    );
  });

  it('seeds a window asked about late from the last record of each action, and reseeds on restore', () => {
    const index = new TaskStateIndex();
    index.apply(record('success', '2026-05-04T07:30:00Z'));
    const window = { actions: ['success'] as RunAction[], period: morning, calendar };
    expect(index.lastInside('x', window)).toBe(new Date('2026-05-04T07:30:00Z').getTime());
    index.restore({
      taskName: 'x',
      status: 'success',
      last: { success: { at: new Date('2026-05-05T07:10:00Z'), sequence: 1 } },
      consecutiveFails: 0,
    });
    expect(index.lastInside('x', window)).toBe(new Date('2026-05-05T07:10:00Z').getTime());
  });
});
