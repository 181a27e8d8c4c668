import type { Condition } from '../conditions/Condition';
import type { Parameters } from '../params/levels';
import { ScheduledTask } from '../scheduler/task/ScheduledTask';
import type { TaskDefinition } from '../scheduler/task/TaskDefinition';
import type { AppParts } from './assembleApp';
import { policyWarnings } from './policyWarnings';
import { taskConditionUses } from './registration/checkReferences';
import type { RegistrationPlan } from './registration/Registration';
import { throwProblems } from './registration/registrationError';

/** What committing registrations reaches: the plans' checks, the session, the scheduler. */
export type RegistrarParts = Pick<
  AppParts,
  | 'config'
  | 'registration'
  | 'paramConditions'
  | 'customs'
  | 'sessionState'
  | 'scheduler'
  | 'minRunGap'
  | 'warnSetup'
>;

/**
 * Commits what a registration pass planned into the session and the scheduler, or throws every
 * problem of it and commits nothing; sets session parameters the same way.
 */
export class AppRegistrar {
  constructor(private readonly parts: RegistrarParts) {}

  /**
   * Adds what `plan` holds, or throws its problems and adds nothing. While the scheduler runs,
   * the new tasks' references are checked first too (before a run, `run()` checks them all).
   */
  commit(plan: RegistrationPlan): ScheduledTask[] {
    const { scheduler, registration, customs, sessionState } = this.parts;
    const uses = scheduler.isRunning ? taskConditionUses(plan.tasks.map((t) => t.definition)) : [];
    throwProblems([...plan.problems, ...registration.references(uses, plan)]);
    for (const cond of plan.conds) customs.set(cond.name, cond);
    for (const provider of plan.params) sessionState.sessionParams.set(provider.name, provider);
    const added = plan.tasks.map((t) => this.add(t.definition));
    this.warnAbout(added);
    return added;
  }

  /**
   * Sets session-level parameters. A value a task reads through `fromParam(key)` is checked
   * first: one that does not parse throws and nothing is set.
   */
  params(values: Parameters): void {
    const { paramConditions, sessionState, scheduler } = this.parts;
    const changed = paramConditions.beforeSet(values, sessionState.tasks);
    for (const [key, value] of Object.entries(values)) sessionState.sessionParams.set(key, value);
    for (const task of changed) scheduler.wake(task);
    this.warnAbout(changed);
  }

  /**
   * What `run()` refuses to start with: references to nothing, bad schedules in parameters.
   * Returns the `shutdownWhen` condition the scheduler is to start with.
   */
  beforeRun(): Condition | undefined {
    const { registration, sessionState, paramConditions, config } = this.parts;
    const checked = registration.beforeRun(sessionState.tasks, config.shutdownWhen);
    throwProblems([
      ...checked.problems,
      ...paramConditions.atStart(sessionState.tasks, sessionState.sessionParams),
    ]);
    return checked.shutdownWhen;
  }

  private warnAbout(tasks: Iterable<ScheduledTask>): void {
    const { paramConditions, sessionState, minRunGap, warnSetup } = this.parts;
    const lookup = paramConditions.lookup(sessionState.sessionParams);
    for (const warning of policyWarnings(tasks, minRunGap, lookup)) warnSetup(warning);
  }

  private add(def: TaskDefinition): ScheduledTask {
    const { sessionState, scheduler } = this.parts;
    const task = new ScheduledTask(def, scheduler, sessionState.tasks.length);
    sessionState.add(task);
    scheduler.added(task);
    return task;
  }
}
