import { ApogeeError } from '../errors/ApogeeError';
import { Argument } from './Argument';
import { EXECUTING, type ArgumentPlacement } from './ArgumentPlacement';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';
import type { RunContext } from './RunContext';

/** The run's progress reporter (what `@Progress()` injects): `(fraction, message?) => void`. */
export class ProgressArg extends Argument {
  get label(): string {
    return 'Progress';
  }
  /** Made where the run executes: a worker's reports travel back to the scheduler's run. */
  override get placement(): ArgumentPlacement {
    return EXECUTING;
  }
  /** A condition check is no run: it has no progress to report. */
  override produce(run: RunContext): (fraction: number, message?: string) => void {
    const { report } = run;
    if (report === undefined) {
      throw new ApogeeError(
        'PROGRESS_OUTSIDE_RUN',
        `@Progress() was asked for outside a run${run.taskName === undefined ? '' : ` of task "${run.taskName}"`} (in a condition or parameter provider checked for a condition): only a run has progress.\n` +
          'Fix: use @Progress() on task methods only.',
        run.taskName === undefined ? {} : { taskName: run.taskName },
      );
    }
    return (fraction, message) => {
      report(fraction, message);
    };
  }
  compute(input: ArgumentScope): (fraction: number, message?: string) => void {
    return this.produce(engineScope(input, this).execution);
  }
}
