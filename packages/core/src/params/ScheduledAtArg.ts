import { Argument } from './Argument';
import type { ArgumentScope } from './ArgumentScope';
import { engineScope } from './engineScope';

/** The instant the run was due for (what `@ScheduledAt()` injects); `undefined` in a condition check. */
export class ScheduledAtArg extends Argument {
  get label(): string {
    return 'ScheduledAt';
  }
  compute(input: ArgumentScope): Date | undefined {
    return engineScope(input, this).scheduledAt;
  }
}
