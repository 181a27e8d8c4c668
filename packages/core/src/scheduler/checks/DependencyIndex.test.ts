import { all, not } from '../../conditions/Condition';
import { always } from '../../conditions/constants';
import { schedulerCycles } from '../../conditions/session/schedulerCycles';
import { afterSuccess } from '../../conditions/task/afterSuccess';
import { running } from '../../conditions/task/running';
import { DependencyIndex } from './DependencyIndex';
import { task } from '../fixtures/fakes';

describe('DependencyIndex', () => {
  it('finds the tasks whose start or end conditions read a task, never the task itself', () => {
    const index = new DependencyIndex();
    const report = task('report', { start: all(afterSuccess('load'), not(running('report'))) });
    const watchdog = task('watchdog', { start: always, end: running('load') });
    const load = task('load', { start: afterSuccess('load') });
    for (const t of [report, watchdog, load]) index.add(t);
    index.add(report);
    expect([...index.dependentsOf('load')]).toEqual([report, watchdog]);
    expect([...index.dependentsOf('report')]).toEqual([]);
    expect([...index.dependentsOf('nobody')]).toEqual([]);
  });

  it('lists the tasks whose conditions count scheduler passes', () => {
    const index = new DependencyIndex();
    const counted = task('counted', { start: all(always, schedulerCycles({ lessThan: 3 })) });
    index.add(counted);
    index.add(task('plain', { start: always }));
    expect([...index.perCycle]).toEqual([counted]);
  });
});
