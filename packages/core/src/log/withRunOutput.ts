import type { Warning } from '../logging/FoldedWarnings';
import type { OutputLine } from './OutputLine';
import type { RunLog } from './RunLog';

/** A run log that keeps run output: what `app.logs` is. */
export type RunLogWithOutput = RunLog & Required<Pick<RunLog, 'appendOutput' | 'output'>>;

/** Runs whose output the in-memory fallback keeps, the oldest dropped past it. */
const RUNS_KEPT = 1_000;

/**
 * `log` itself when it keeps run output (`appendOutput` and `output`, as every log Apogee ships
 * does), else `log` with the output kept in this process's memory for its last 1,000 runs: a run
 * log written before run output existed keeps working, with a warning (once per app) naming its
 * class, since that output is lost at a restart and not seen by other replicas. Everything else
 * goes to `log` itself (bound to it), so its own methods and `instanceof` keep working.
 */
export function withRunOutput(log: RunLog, warn: (warning: Warning) => void): RunLogWithOutput {
  if (typeof log.appendOutput === 'function' && typeof log.output === 'function')
    return log as RunLogWithOutput;
  const name = (log as { constructor?: { name?: string } }).constructor?.name ?? 'the run log';
  warn({
    code: 'APOGEE_LOG_NO_OUTPUT',
    message: () =>
      `Apogee: run log ${name} has no appendOutput()/output(): run output (@RunLogger(), a worker's ` +
      'console) is kept in this process’s memory for its last 1,000 runs, lost at a restart and not ' +
      'seen by other replicas. Implement both methods (see RunLog) to keep it in the log.',
  });
  const outputs = new Map<string, OutputLine[]>();
  const appendOutput = (runId: string, _taskName: string, lines: readonly OutputLine[]): void => {
    const kept = outputs.get(runId) ?? [];
    outputs.delete(runId);
    outputs.set(runId, [...kept, ...lines]);
    for (const oldest of outputs.keys()) {
      if (outputs.size <= RUNS_KEPT) break;
      outputs.delete(oldest);
    }
  };
  const output = (runId: string): Promise<OutputLine[]> => Promise.resolve([...(outputs.get(runId) ?? [])]);
  return new Proxy(log, {
    get(target, key) {
      if (key === 'appendOutput' && typeof target.appendOutput !== 'function') return appendOutput;
      if (key === 'output' && typeof target.output !== 'function') return output;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as RunLogWithOutput;
}
