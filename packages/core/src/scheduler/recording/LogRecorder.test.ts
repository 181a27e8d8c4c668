import { MemoryRunLog } from '../../log/MemoryRunLog';
import type { RunLog } from '../../log/RunLog';
import type { RunRecord } from '../../log/RunRecord';
import { TaskStateIndex } from '../../log/TaskStateIndex';
import { LogRecorder } from './LogRecorder';

const record: RunRecord = { taskName: 't', action: 'run', created: new Date(1_000), runId: 'r1' };

describe('LogRecorder', () => {
  it('updates the state index and appends to the run log, and keeps return values in the store', async () => {
    const state = new TaskStateIndex();
    const log = new MemoryRunLog();
    const returns = new Map<string, unknown>();
    const recorder = new LogRecorder(state, log, { setReturn: (name, value) => returns.set(name, value) });
    recorder.record(record);
    recorder.setReturn('t', 42);
    expect(state.get('t').running).toBe(1);
    expect(await log.records({ taskName: 't' })).toEqual([record]);
    expect(returns.get('t')).toBe(42);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('disk full');
      },
    ],
    ['rejects', () => Promise.reject(new Error('disk full'))],
  ])('warns and goes on when the log %s', async (_, append) => {
    const state = new TaskStateIndex();
    const log: RunLog = { append, records: () => Promise.resolve([]) };
    const emitWarning = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      new LogRecorder(state, log, { setReturn: () => undefined }).record(record);
      expect(state.get('t').running).toBe(1);
      await new Promise((r) => setImmediate(r));
      expect(emitWarning.mock.calls).toEqual([
        [
          expect.stringContaining('could not store a "run" record of task "t" (disk full)'),
          { code: 'APOGEE_LOG_WRITE_FAILED' },
        ],
      ]);
    } finally {
      emitWarning.mockRestore();
    }
  });
});
