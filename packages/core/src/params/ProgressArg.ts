import { Argument } from './Argument';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/** The run's progress reporter (what `@Progress()` injects): `(fraction, message?) => void`. */
export class ProgressArg extends Argument {
  get label(): string {
    return 'Progress';
  }
  compute(input: ArgumentScope): (fraction: number, message?: string) => void {
    return engineScope(input, this).progress;
  }
}
