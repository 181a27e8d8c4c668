import { WorkerCrashError } from '../../errors/WorkerCrashError';
import { RemoteWorker } from './RemoteWorker';

describe('RemoteWorker', () => {
  it('is born dead when its worker cannot start, and a run on it reports that instead of throwing', async () => {
    const worker = new RemoteWorker(() => {
      throw new Error('Initiated Worker with invalid execArgv flags: --expose-gc');
    });
    expect(worker.alive).toBe(false);
    const exit = await worker.exited;
    expect(exit.notStarted).toBe(true);
    const result = await worker.execute({
      type: 'run',
      runId: 'r1',
      target: { module: '/nowhere.js', taskName: 'job' },
      args: [],
      executing: [],
    });
    expect('exit' in result).toBe(true);
    const error = new WorkerCrashError('job', 'r1', 'thread', exit);
    expect(error.message).toContain('its worker thread could not be started');
    expect(error.message).toContain('invalid execArgv flags');
  });
});
