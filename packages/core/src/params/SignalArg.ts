import { Argument } from './Argument';
import type { ResolutionScope } from './ResolutionScope';

/** The run's `AbortSignal` (what `@Signal()` injects): aborted when the run is terminated. */
export class SignalArg extends Argument {
  get label(): string {
    return 'Signal';
  }
  compute(scope: ResolutionScope): AbortSignal {
    return scope.signal;
  }
}
