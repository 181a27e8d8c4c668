import type { ScheduledTask } from '../task/ScheduledTask';

/** What a custom condition answered the last time the scheduler checked it. */
export interface CustomAnswer {
  readonly value: boolean;
  /** When the check was made, ms since the epoch. */
  readonly at: number;
}

/**
 * The last answer of each custom condition per task. `task.explain()` shows it instead of calling
 * the user's code again: what the scheduler last saw is what decided the last look at the task,
 * and an explanation must not have side effects.
 */
export class CustomMemory {
  // Bound arguments are one array per condition node, so they key the node without hashing.
  private readonly answers = new Map<string, WeakMap<readonly unknown[], CustomAnswer>>();

  remember(
    task: ScheduledTask | undefined,
    name: string,
    args: readonly unknown[],
    answer: CustomAnswer,
  ): void {
    const key = this.key(task, name);
    let byArgs = this.answers.get(key);
    if (byArgs === undefined) {
      byArgs = new WeakMap();
      this.answers.set(key, byArgs);
    }
    byArgs.set(args, answer);
  }

  recall(task: ScheduledTask | undefined, name: string, args: readonly unknown[]): CustomAnswer | undefined {
    return this.answers.get(this.key(task, name))?.get(args);
  }

  private key(task: ScheduledTask | undefined, name: string): string {
    return `${task?.name ?? ''}\u0000${name}`;
  }
}
