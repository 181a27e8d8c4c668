import type { DependencyContainer } from 'tsyringe';
import { UnknownTaskError } from '../errors/UnknownTaskError';
import type { ResolutionHost } from '../params/ResolutionHost';
import type { ScheduledTask } from '../scheduler/ScheduledTask';

/** What the session needs to predict runs. */
interface Predictor {
  upcoming(n: number): { taskName: string; at: Date }[];
}

/**
 * The app's tasks, session parameters and last return values (`app.session`).
 *
 * @example
 * ```ts
 * const fetch = app.session.get('fetch');
 * console.log(app.session.returns.get('fetch'), app.session.upcoming(5));
 * ```
 */
export class Session implements ResolutionHost {
  private readonly byName = new Map<string, ScheduledTask>();
  private readonly list: ScheduledTask[] = [];
  private readonly returnValues = new Map<string, unknown>();
  /** @internal Session-level parameters, providers included. */
  readonly sessionParams = new Map<string, unknown>();

  /** @internal */
  constructor(
    readonly container: DependencyContainer,
    readonly argv: readonly string[],
    readonly env: Readonly<Record<string, string | undefined>>,
    private readonly predictor: () => Predictor,
  ) {}

  /** The task called `name`; an `UnknownTaskError` listing close names if there is none. */
  get(name: string): ScheduledTask {
    const task = this.byName.get(name);
    if (task === undefined) throw new UnknownTaskError(name, this.byName.keys());
    return task;
  }

  /** Every task, in registration order. */
  get tasks(): readonly ScheduledTask[] {
    return this.list;
  }

  /** Last successful return value per task name. */
  get returns(): ReadonlyMap<string, unknown> {
    return this.returnValues;
  }

  /** The next `n` predicted runs across all tasks, soonest first. */
  upcoming(n: number): { taskName: string; at: Date }[] {
    return this.predictor().upcoming(n);
  }

  // ---- ResolutionHost ----

  get sessionRef(): this {
    return this;
  }
  findTask(name: string): ScheduledTask | undefined {
    return this.byName.get(name);
  }
  taskNames(): Iterable<string> {
    return this.byName.keys();
  }
  hasReturn(task: string): boolean {
    return this.returnValues.has(task);
  }
  getReturn(task: string): unknown {
    return this.returnValues.get(task);
  }

  /** @internal */
  add(task: ScheduledTask): void {
    this.byName.set(task.name, task);
    this.list.push(task);
  }
  /** @internal */
  setReturn(task: string, value: unknown): void {
    this.returnValues.set(task, value);
  }
}
