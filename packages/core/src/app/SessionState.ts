import type { DependencyContainer } from 'tsyringe';
import type { ResolutionHost } from '../params/ResolutionHost';
import type { ReturnStore } from '../scheduler/recording/LogRecorder';
import type { ScheduledTask } from '../scheduler/task/ScheduledTask';
import type { TaskSource } from '../scheduler/Scheduler';

/**
 * What a session holds: its tasks, session parameters and last return values. The engine reads
 * and writes it (registration adds tasks and parameters, the recorder keeps return values,
 * runs resolve their arguments in it); users see it through the read-only {@link Session}.
 */
export class SessionState implements ResolutionHost, TaskSource, ReturnStore {
  private readonly byName = new Map<string, ScheduledTask>();
  private readonly list: ScheduledTask[] = [];
  private readonly returnValues = new Map<string, unknown>();
  /** Session-level parameters, `@Param` providers included. */
  readonly sessionParams = new Map<string, unknown>();
  /**
   * What `@CurrentSession()` injects: the public `Session`, which sets it when it is built over
   * this state (the state comes first, since the scheduler that the session asks is built on it).
   */
  sessionRef: unknown;

  constructor(
    readonly container: DependencyContainer,
    readonly argv: readonly string[],
    readonly env: Readonly<Record<string, string | undefined>>,
  ) {}

  get tasks(): readonly ScheduledTask[] {
    return this.list;
  }
  get returns(): ReadonlyMap<string, unknown> {
    return this.returnValues;
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
  add(task: ScheduledTask): void {
    this.byName.set(task.name, task);
    this.list.push(task);
  }
  remove(task: ScheduledTask): boolean {
    if (this.byName.get(task.name) !== task) return false;
    this.byName.delete(task.name);
    this.list.splice(this.list.indexOf(task), 1);
    return true;
  }
  setReturn(task: string, value: unknown): void {
    this.returnValues.set(task, value);
  }
}
