import { Argument } from './Argument';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/** The run's `AbortSignal` (what `@Signal()` injects): aborted when the run is terminated. */
export class SignalArg extends Argument {
  get label(): string {
    return 'Signal';
  }
  compute(input: ArgumentScope): AbortSignal {
    const scope = engineScope(input, this);
    return scope.signal;
  }
}
