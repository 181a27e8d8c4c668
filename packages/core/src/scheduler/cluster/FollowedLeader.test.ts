import type { RunRecord } from '../../log/RunRecord';
import { FollowedLeader } from './FollowedLeader';

const run = (taskName: string, created: number, scheduledAt?: number): RunRecord => ({
  runId: `${taskName}-${String(created)}`,
  taskName,
  action: 'run',
  created: new Date(created),
  ...(scheduledAt === undefined ? {} : { scheduledAt: new Date(scheduledAt) }),
});

describe('FollowedLeader', () => {
  it("reads the leader's clock off the record delivered fastest, and ignores differences within a second", () => {
    const followed = new FollowedLeader();
    followed.note(run('tick', 100_000), 70_250);
    followed.note(run('tick', 101_000), 71_004);
    expect(followed.offset()).toBe(-29_996);
    const close = new FollowedLeader();
    close.note(run('tick', 100_000), 100_900);
    expect(close.offset()).toBe(0);
  });

  it('keeps the latest due instant of each task, however late its run started', () => {
    const followed = new FollowedLeader();
    followed.note(run('tick', 5_300, 5_000), 5_310);
    followed.note(run('tick', 5_400, 4_000), 5_410);
    expect(followed.lastStart('tick')).toEqual({ created: 5_400, due: 5_000 });
    expect(followed.lastStart('other')).toBeUndefined();
    followed.clear();
    expect(followed.lastStart('tick')).toBeUndefined();
    expect(followed.offset()).toBe(0);
  });
});
