import type { Calendar } from '../../time/Calendar';
import type { Condition } from '../../conditions/Condition';
import type { TaskTarget } from '../../execution/remote/protocol';
import type { Catchup, Execution, Overlap } from '../../metadata/TaskOptions';
import type { Parameters } from '../../params/levels';
import type { Signature } from '../../params/Signature';
import type { TaskDefinition } from './TaskDefinition';
import type { TaskSettings } from './TaskSettings';

/**
 * A {@link TaskDefinition} that keeps only what is its own (name, conditions, parameters, code)
 * and reads the rest from a {@link TaskSettings} object that tasks with the same settings share.
 * A definition with every field of its own took about 270 bytes (its fields spill into a
 * property array); this one takes 88, which matters at a million tasks.
 */
export class SettledTask implements TaskDefinition {
  constructor(
    readonly name: string,
    readonly owner: string,
    readonly start: Condition,
    readonly end: Condition | undefined,
    readonly parameters: Parameters,
    readonly signature: Signature,
    readonly invoke: (args: unknown[]) => unknown,
    /** Shared with other tasks: never written. */
    readonly settings: TaskSettings,
  ) {}

  get execution(): Execution {
    return this.settings.execution;
  }
  get target(): TaskTarget | undefined {
    return this.settings.target;
  }
  get priority(): number {
    return this.settings.priority;
  }
  get timeout(): number {
    return this.settings.timeout;
  }
  get multilaunch(): boolean {
    return this.settings.multilaunch;
  }
  get overlap(): Overlap {
    return this.settings.overlap;
  }
  get catchup(): Catchup {
    return this.settings.catchup;
  }
  get catchupWindow(): number {
    return this.settings.catchupWindow;
  }
  get jitter(): number {
    return this.settings.jitter;
  }
  get timezone(): string | undefined {
    return this.settings.timezone;
  }
  get calendar(): Calendar | undefined {
    return this.settings.calendar;
  }
  get pauseAfterFailures(): number {
    return this.settings.pauseAfterFailures;
  }
  get rerunCrashed(): boolean {
    return this.settings.rerunCrashed;
  }
  get maxBatches(): number {
    return this.settings.maxBatches;
  }
  get onStartup(): boolean {
    return this.settings.onStartup;
  }
  get onShutdown(): boolean {
    return this.settings.onShutdown;
  }
  get permanent(): boolean {
    return this.settings.permanent;
  }
  get disabled(): boolean {
    return this.settings.disabled;
  }
}
