import { Argument } from './Argument';
import { EXECUTING, type ArgumentPlacement } from './ArgumentPlacement';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';
import type { RunContext } from './RunContext';

/** The run's `AbortSignal` (what `@Signal()` injects): aborted when the run is terminated. */
export class SignalArg extends Argument {
  get label(): string {
    return 'Signal';
  }
  /** Made where the run executes: a worker's run has its own signal, aborted from the scheduler. */
  override get placement(): ArgumentPlacement {
    return EXECUTING;
  }
  /** The signal of the run where it executes. */
  override produce(run: RunContext): AbortSignal {
    return run.signal;
  }
  compute(input: ArgumentScope): AbortSignal {
    return this.produce(engineScope(input, this).execution);
  }
}
