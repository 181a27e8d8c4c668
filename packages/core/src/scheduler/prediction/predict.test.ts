import { afterSuccess } from '../../conditions/task/afterSuccess';
import { cron } from '../../conditions/time/cron';
import { every } from '../../conditions/time/every';
import { daily } from '../../conditions/time/PeriodCondition';
import { calendarFor } from '../../time/Calendar';
import { ConditionChecker } from '../checks/ConditionChecker';
import { emptyHost, MemoryRecorder, RecordingSink, task } from '../fixtures/fakes';
import { predict } from './predict';

const NOW = new Date('2026-05-04T08:00:00Z').getTime();
const iso = (instants: number[]) => instants.map((t) => new Date(t).toISOString());

function host(recorder = new MemoryRecorder()) {
  return new ConditionChecker(
    {
      state: recorder,
      customs: new Map(),
      host: emptyHost(),
      clock: { now: () => NOW },
      calendar: calendarFor('UTC'),
      events: new RecordingSink(),
    },
    { startedAt: undefined, cycles: 0 },
    { pending: () => 0 },
  );
}

describe('predict', () => {
  it('lists the next instants a time condition holds, assuming each run succeeds at once', () => {
    expect(iso(predict(task('nightly', { start: daily.at('03:00') }), NOW, 2, host()))).toEqual([
      '2026-05-05T03:00:00.000Z',
      '2026-05-06T03:00:00.000Z',
    ]);
    expect(iso(predict(task('ticker', { start: every('20 minutes') }), NOW, 3, host()))).toEqual([
      '2026-05-04T08:00:00.000Z',
      '2026-05-04T08:20:00.000Z',
      '2026-05-04T08:40:00.000Z',
    ]);
    expect(iso(predict(task('c', { start: cron('30 9 * * *') }), NOW, 1, host()))).toEqual([
      '2026-05-04T09:30:00.000Z',
    ]);
  });

  it("starts from the task's recorded state, and changes nothing", () => {
    const recorder = new MemoryRecorder();
    const ran = new Date(NOW - 5 * 60_000);
    recorder.record({ taskName: 'ticker', action: 'run', created: ran, runId: 'r' });
    recorder.record({ taskName: 'ticker', action: 'success', created: ran, runId: 'r' });
    const ticker = task('ticker', { start: every('20 minutes') });
    expect(iso(predict(ticker, NOW, 1, host(recorder)))).toEqual(['2026-05-04T08:15:00.000Z']);
    expect(recorder.records).toHaveLength(2);
    expect(recorder.get('ticker').lastRun).toBe(ran.getTime());
  });

  it('predicts nothing for conditions on other tasks, disabled tasks, and start-up tasks', () => {
    expect(predict(task('f', { start: afterSuccess('load') }), NOW, 3, host())).toEqual([]);
    expect(predict(task('d', { start: daily, disabled: true }), NOW, 3, host())).toEqual([]);
    expect(predict(task('s', { start: daily, onStartup: true }), NOW, 3, host())).toEqual([]);
  });
});
