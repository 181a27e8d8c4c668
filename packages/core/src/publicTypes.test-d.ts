/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access --
   a line under @ts-expect-error is error-typed on purpose. */
/**
 * Type-level tests of the public surface: what a user's code must and must not compile against
 * `@apogee/core`. Checked by `pnpm typecheck` (never run: jest collects `*.test.ts` only); a line
 * under `// @ts-expect-error` that starts to compile fails the typecheck, so a type that grows
 * too loose is caught as surely as one that breaks.
 */
import type { Observable } from 'rxjs';
import {
  App,
  Arg,
  Cond,
  Param,
  Private,
  RUN_ACTIONS,
  ReturnArg,
  Task,
  afterSuccess,
  all,
  cond,
  daily,
  every,
  fromParam,
  not,
  timeOfDay,
  type Condition,
  type Duration,
  type FunctionTaskOptions,
  type RunAction,
  type RunRecord,
  type ScheduledTask,
  type SchedulerEvent,
  type SchedulerEventType,
  type TaskOptions,
} from '@apogee/core';
import type * as core from '@apogee/core';
import * as coreValues from '@apogee/core';

/** True when A and B are the same type (not merely assignable either way). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the two T's are the trick
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only for `true`: `expectType<Equal<A, B>>(true)`. */
function expectType<T extends true>(value: T): T {
  return value;
}

// ---- Durations: typed literals catch typos at compile time ----

export const durations: Duration[] = [5000, '10 seconds', '200 ms', '1.5 hours', '1 week', '3 min', '2 d'];
// @ts-expect-error a misspelt unit
export const misspelt: Duration = '10 secnds';
// @ts-expect-error a number must come first
export const wordNumber: Duration = 'ten seconds';
// @ts-expect-error the unit is separated by a space
export const noSpace: Duration = '10seconds';

export const tenSeconds: Condition = every('10 seconds');
export const inMs: Condition = every(250);
export const fromConfig: Condition = fromParam('reportSchedule');
// @ts-expect-error fromParam takes the parameter's key, not its value
export const notAKey: Condition = fromParam(every('1 hour'));
// @ts-expect-error every() takes a Duration, not free text
every('10 secnds');
// @ts-expect-error nor the condition language
every('every 10 seconds');

// ---- Conditions compose into conditions; strings are the configuration language ----

export const composed: Condition = all(daily.between('10:00', '12:00'), not(afterSuccess('fetch')))
  .or(timeOfDay.after('18:00'))
  .and(cond('is_ready', 1, 'x'));
// @ts-expect-error all() takes conditions, not strings (strings go where a start is expected)
all('every 10 seconds');

// ---- Decorators ----

export class Pipeline {
  @Task(every('5 seconds'), { priority: 2, timeout: '1 minute', execution: 'thread' })
  fetch(@Arg('source', 'sensor-1') source: string): string {
    return source;
  }

  @Task("after task 'fetch'")
  load(@Arg('data', new ReturnArg('fetch')) data: unknown): unknown {
    return data;
  }

  @Task({ name: 'report', start: daily.at('07:00'), timeout: 'never' })
  report(): void {}

  @Cond('is_ready')
  ready(threshold: number, @Arg('level') level: number): boolean {
    return level >= threshold;
  }

  @Param('db_url', { cache: 'session' })
  dbUrl(): Promise<string> {
    return Promise.resolve('sqlite::memory:');
  }
}

export class ArgMisuse {
  // @ts-expect-error @Arg needs the key
  run(@Arg() value: string): string {
    return value;
  }

  // @ts-expect-error @Arg decorates a parameter, not a method
  @Arg('key')
  method(): void {}

  // @ts-expect-error nor a property
  @Arg('key')
  property = 1;

  // @ts-expect-error the key is a string
  numeric(@Arg(42) value: string): string {
    return value;
  }
}

export class OptionMisuse {
  // @ts-expect-error execution is one of main, async, thread, process, queue
  @Task({ execution: 'bogus' })
  bogus(): void {}

  // @ts-expect-error timeout is a Duration
  @Task({ timeout: '5 parsecs' })
  slow(): void {}

  // @ts-expect-error @Cond decorates a method, not a parameter
  check(@Cond('x') value: number): number {
    return value;
  }

  // @ts-expect-error provider cache is 'run' or 'session'
  @Param('p', { cache: 'forever' })
  provider(): number {
    return 1;
  }
}

// ---- app.task, app.cond, app.param: the no-decorator form ----

const app = new App({
  params: { source: new Private('secret') },
  config: { execution: 'async', timezone: 'UTC' },
});

export const fetchTask: ScheduledTask = app.task(
  { name: 'fetch', start: every('10 seconds'), inject: [Arg('source', 'a'), Arg('retries', 3)] },
  (source: string, retries: number) => `${source} ${String(retries)}`,
);
app.task({ name: 'daily', start: 'daily between 10:00 and 12:00', priority: 1, multilaunch: false }, () => 1);
app.cond({ name: 'is_open', poll: '30 seconds' }, () => true);
app.param({ name: 'db_url', cache: 'run' }, () => 'sqlite::memory:');
// @ts-expect-error a function task needs a name
app.task({ start: every('1 minute') }, () => 1);
// @ts-expect-error execution is one of main, async, thread, process, queue
app.task({ name: 'x', execution: 'bogus' }, () => 1);
// @ts-expect-error priority is a number
app.task({ name: 'x', priority: 'high' }, () => 1);
// @ts-expect-error inject lists parameter decorators or injections
app.task({ name: 'x', inject: ['source'] }, () => 1);
// @ts-expect-error poll is a Duration
app.cond({ name: 'c', poll: 'often' }, () => true);

expectType<Equal<FunctionTaskOptions['execution'], TaskOptions['execution']>>(true);
expectType<Equal<TaskOptions['execution'], 'main' | 'async' | 'thread' | 'process' | 'queue' | undefined>>(
  true,
);

// ---- ScheduledTask ----

expectType<Equal<ScheduledTask['status'], RunAction | undefined>>(true);
expectType<Equal<ScheduledTask['lastRun'], Date | undefined>>(true);
expectType<Equal<ReturnType<ScheduledTask['nextRun']>, Date | undefined>>(true);
// @ts-expect-error batch parameters are an object of key/value pairs
fetchTask.run('now');

// ---- Session: read-only; session parameters change through app.params ----

expectType<Equal<ReturnType<App['session']['get']>, ScheduledTask>>(true);
// @ts-expect-error the session's parameter map is the engine's
app.session.sessionParams.set('k', 1);
// @ts-expect-error and so is the container it resolves in
export const sessionContainer = app.session.container;

// ---- Custom arguments compute in an ArgumentScope ----

export class Upper extends coreValues.Argument {
  constructor(private readonly inner: coreValues.Argument) {
    super();
  }
  get label(): string {
    return `upper(${this.inner.label})`;
  }
  async compute(scope: core.ArgumentScope): Promise<string> {
    expectType<Equal<typeof scope.taskName, string | undefined>>(true);
    expectType<Equal<typeof scope.signal, AbortSignal>>(true);
    // @ts-expect-error the levels and the session are the resolver's, not an argument's
    scope.resolveKey('k', undefined, { owner: 'x', index: 0 });
    return String(await scope.resolve(this.inner)).toUpperCase();
  }
}

// ---- Leadership: an app can be told whether it schedules ----

export const follower = new App({ leadership: new coreValues.ManualLeadership(false) });
expectType<Equal<typeof follower.isLeader, boolean>>(true);
// @ts-expect-error leadership is a Leadership, not a flag
export const notLeader = new App({ leadership: false });
// A fence answers synchronously or with a promise; a relay forwards and serves.
export const fenced = new App({
  fence: { claim: (c: coreValues.StartClaim) => (c.kind === 'batch' ? true : Promise.resolve(false)) },
});
// @ts-expect-error a claim answers with a boolean
export const badFence = new App({ fence: { claim: () => 'yes' } });
export function lostReason(event: SchedulerEvent): string | undefined {
  return event.type === 'leadershipLost' ? event.reason : undefined;
}

// ---- Events: a discriminated union on `type`, past tense ----

export const events: Observable<SchedulerEvent> = app.events;
expectType<
  Equal<
    SchedulerEventType,
    | 'schedulerStarted'
    | 'schedulerStopped'
    | 'taskStarted'
    | 'taskSucceeded'
    | 'taskFailed'
    | 'taskTerminated'
    | 'taskInacted'
    | 'taskProgress'
    | 'taskOutput'
    | 'conditionFailed'
    | 'uncaughtError'
    | 'workerExited'
    | 'taskSkipped'
    | 'taskPaused'
    | 'leadershipAcquired'
    | 'leadershipLost'
  >
>(true);

export function describeEvent(event: SchedulerEvent): string {
  switch (event.type) {
    case 'taskSucceeded':
      return `${event.taskName} returned ${String(event.returnValue)} (${event.runId})`;
    case 'taskFailed':
      return `${event.taskName} failed: ${String(event.error)}`;
    case 'taskTerminated':
      return `${event.taskName} terminated: ${String(event.reason)}`;
    case 'conditionFailed':
      // taskName is optional here: a condition may fail outside any one task.
      return `${event.taskName ?? 'a condition'} failed: ${String(event.error)}`;
    case 'schedulerStarted':
    case 'schedulerStopped':
      // @ts-expect-error scheduler events belong to no task
      return event.taskName;
    default:
      // @ts-expect-error only taskSucceeded carries a return value
      return `${event.type} ${event.taskName} ${String(event.returnValue)}`;
  }
}

export function exhaustive(event: SchedulerEvent): number {
  switch (event.type) {
    case 'schedulerStarted':
    case 'schedulerStopped':
    case 'taskStarted':
    case 'taskSucceeded':
    case 'taskFailed':
    case 'taskTerminated':
    case 'taskInacted':
    case 'taskProgress':
    case 'taskOutput':
    case 'conditionFailed':
    case 'uncaughtError':
    case 'workerExited':
    case 'taskSkipped':
    case 'taskPaused':
    case 'leadershipAcquired':
    case 'leadershipLost':
      return event.at.getTime();
    default: {
      // Every type is handled above: a new event type must be added here (and to the list above).
      const none: never = event;
      return none;
    }
  }
}

// ---- Run policies ----

expectType<Equal<core.Overlap, 'skip' | 'queue' | 'replace' | 'allow'>>(true);
expectType<Equal<core.Catchup, 'none' | 'latest' | 'all'>>(true);
export const policyTask = app.task(
  {
    name: 'policies',
    start: 'cron 0 * * * *',
    overlap: 'queue',
    catchup: 'all',
    catchupWindow: '6 hours',
    jitter: '30 seconds',
    pauseAfterFailures: 3,
    inject: [coreValues.ScheduledAt()],
  },
  (at: Date) => at.toISOString(),
);
expectType<Equal<typeof policyTask.skipped, number>>(true);
policyTask.disable();
policyTask.enable();
// @ts-expect-error skipped is counted by the scheduler, not set
policyTask.skipped = 0;
// @ts-expect-error overlap is a closed set
export const badOverlap: core.TaskOptions = { overlap: 'wait' };
// @ts-expect-error durations are typed
export const badJitter: core.TaskOptions = { jitter: '30 secs' };
export const withWarnings = new App({
  config: {
    minRunGap: '10 ms',
    overlap: 'skip',
    onWarning: (w: core.ApogeeWarning) => w.code === 'APOGEE_NO_EDGE',
  },
});
export function policyEvent(event: SchedulerEvent): string {
  if (event.type === 'taskSkipped') return `${event.taskName} ${event.reason} ${event.at.toISOString()}`;
  if (event.type === 'taskPaused') return `${event.taskName} after ${String(event.failures)}`;
  return event.type;
}
expectType<Equal<RunRecord['scheduledAt'], Date | undefined>>(true);

// ---- Run records: one action union, the one RUN_ACTIONS list ----

expectType<Equal<RunAction, 'run' | 'success' | 'fail' | 'terminate' | 'inaction' | 'crash'>>(true);
expectType<Equal<RunAction, (typeof RUN_ACTIONS)[number]>>(true);
expectType<Equal<RunRecord['action'], RunAction>>(true);
export const record: RunRecord = { taskName: 'fetch', action: 'crash', created: new Date(), runId: '1' };
// @ts-expect-error actions are a closed set
export const badRecord: RunRecord = { taskName: 'fetch', action: 'crashed', created: new Date(), runId: '1' };
// @ts-expect-error RUN_ACTIONS is read-only
RUN_ACTIONS.push('run');

// ---- What the public barrel does not offer ----

// @ts-expect-error the mutable state index is internal (@apogee/core/internal)
export type NoStateIndex = core.TaskStateIndex;
// @ts-expect-error the resolution scope is internal
export type NoScope = core.ResolutionScope;
// @ts-expect-error so is the calendar factory
export type NoCalendar = typeof core.calendarFor;
// @ts-expect-error and the error helpers
export type NoErrorMessage = typeof core.errorMessage;
// @ts-expect-error and the close-names helper
export type NoCloseNames = typeof core.closeNames;
// The condition context is named (as a type) because Condition.evaluate's signature shows it.
export type Context = core.ConditionContext;

// Condition classes can be named, not constructed: builders make them.
export type Period = core.PeriodCondition;
// @ts-expect-error PeriodCondition is exported as a type only
export const periodClass = coreValues.PeriodCondition;
// The app makes its session and its tasks: they are types to users, not constructors.
export type SessionType = core.Session;
// @ts-expect-error Session is exported as a type only
export const sessionClass = coreValues.Session;
// @ts-expect-error ScheduledTask too
export const taskClass = coreValues.ScheduledTask;
