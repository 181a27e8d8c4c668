import type { RunHandle } from '../../execution/RunHandle';
import { MemoryRunLog } from '../../log/MemoryRunLog';
import type { RunRecord } from '../../log/RunRecord';
import { emptyHost, ManualExecutor, MemoryRecorder, RecordingSink, task } from '../fixtures/fakes';
import { startOnRecord } from '../recording/startOnRecord';
import { RunLauncher } from './RunLauncher';
import type { ScheduledTask } from '../task/ScheduledTask';
import { WakeQueue } from '../loop/WakeQueue';

/** A recorder over a shared log that already holds `stored`: it answers `startRecorded` from it. */
class SharedLogRecorder extends MemoryRecorder {
  readonly log = new MemoryRunLog();
  constructor(stored: readonly RunRecord[]) {
    super();
    for (const record of stored) this.log.append(record);
  }
  startRecorded(taskName: string, runId: string): Promise<boolean> {
    return startOnRecord(this.log, taskName, runId);
  }
}

function adopting(tasks: ScheduledTask[], stored: readonly RunRecord[] = []) {
  const now = 10_000;
  const clock = { now: () => now };
  const executor = new ManualExecutor();
  const recorder = new SharedLogRecorder(stored);
  const host = { ...emptyHost(), findTask: (name: string) => tasks.find((t) => t.name === name) };
  const runs = new RunLauncher(
    { clock, executor, recorder, events: new RecordingSink(), host },
    new WakeQueue<RunHandle>(),
    { lookAt: () => undefined, touched: () => undefined, requestPass: () => undefined },
  );
  return { runs, recorder };
}

const startOf = (runId: string, at: number, taskName = 't'): RunRecord => ({
  taskName,
  action: 'run',
  created: new Date(at),
  runId,
  start: new Date(at),
});

/** Lets the log's answers settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('RunLauncher.adopt of a run that began in another process', () => {
  it('writes its start (when it began) before its end when the process that began it stopped before recording it', async () => {
    const t = task('t');
    const { runs, recorder } = adopting([t]);
    const adopted = runs.adopt('t', 'r-1', 7_000);
    expect(adopted).toBeDefined();
    // Its job ends at once (it ended while no leader listened): the end waits for the start.
    adopted?.listener.ended(adopted.run, { action: 'success', returnValue: 1 });
    await settle();
    expect(recorder.records.map((r) => [r.action, r.runId, r.start?.getTime(), r.runtime])).toEqual([
      ['run', 'r-1', 7_000, undefined],
      ['success', 'r-1', 7_000, 3_000],
    ]);
  });

  it("writes no second start when the log holds it, whether or not it is its task's oldest record", async () => {
    const t = task('t');
    const { runs, recorder } = adopting(
      [t],
      [startOf('first', 6_000), startOf('other', 6_500, 'u'), startOf('second', 7_000)],
    );
    for (const runId of ['first', 'second']) {
      const adopted = runs.adopt('t', runId, 7_000);
      adopted?.listener.ended(adopted.run, { action: 'success', returnValue: runId });
    }
    await settle();
    expect(recorder.records.map((r) => `${r.action}:${r.runId}`).sort()).toEqual([
      'success:first',
      'success:second',
    ]);
  });

  it('writes the start when the log cannot tell (a store that holds it refuses the second)', async () => {
    const t = task('t');
    const { runs, recorder } = adopting([t]);
    recorder.log.records = () => Promise.reject(new Error('connection lost'));
    const adopted = runs.adopt('t', 'r-1', 7_000);
    adopted?.listener.ended(adopted.run, { action: 'fail', error: new Error('boom') });
    await settle();
    expect(recorder.actions()).toEqual(['t:run', 't:fail']);
  });

  it('writes nothing at adoption for a run still waiting: its start is recorded when it begins', async () => {
    const { runs, recorder } = adopting([task('t')]);
    runs.adopt('t', 'r-1', undefined);
    await settle();
    expect(recorder.records).toEqual([]);
  });
});
