import { Condition } from '../../conditions/Condition';
import { never } from '../../conditions/constants';
import { parseCondition } from '../../conditions/parse/parseCondition';
import type { Execution, TaskOptions } from '../../metadata/TaskOptions';
import type { Signature } from '../../params/Signature';
import type { Parameters } from '../../params/levels';
import { SettledTask } from '../../scheduler/task/SettledTask';
import type { TaskDefinition } from '../../scheduler/task/TaskDefinition';
import type { TaskSettings } from '../../scheduler/task/TaskSettings';
import { ConfigurationError } from '../../errors/ConfigurationError';
import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';
import { calendarFor, type Calendar } from '../../time/Calendar';
import { toMilliseconds } from '../../time/Duration';
import type { AppConfig } from '../AppConfig';
import { checkCrossing } from './checkCrossing';
import { collectError } from './collectError';
import type { RegistrationProblem } from './RegistrationProblem';
import { settlePolicies } from './settlePolicies';
import { taskTarget, type TaskOrigin } from './taskTarget';

/** A task as declared, before its options are settled. */
export interface TaskSpec {
  readonly name: string;
  /** `Class.method`, or the task's name for the no-decorator form, for messages. */
  readonly owner: string;
  readonly options: TaskOptions;
  /** What its parameters receive, compiled from its decorators or `inject` list. */
  readonly signature: Signature;
  /** Calls the task's code with resolved arguments. */
  readonly invoke: (args: unknown[]) => unknown;
  readonly origin: TaskOrigin;
}

const EXECUTIONS: readonly string[] = ['main', 'async', 'thread', 'process', 'queue'];
const DEFAULT_TIMEOUT = 30 * 60_000;
/** Default `maxBatches`: enough for any burst of requests, small enough to bound memory. */
export const DEFAULT_MAX_BATCHES = 1000;
const NO_PARAMETERS: Parameters = Object.freeze({});

/** The task's start or end condition, parsed if it is a string; problems are collected. */
function condition(
  spec: TaskSpec,
  role: 'start' | 'end',
  customNames: ReadonlySet<string>,
  problems: RegistrationProblem[],
): Condition | undefined {
  const value = spec.options[role];
  // Most tasks are given a condition object: nothing to parse, no message to build.
  if (value === undefined || Condition.isCondition(value)) return value;
  const { name, owner } = spec;
  if (typeof value === 'string')
    return collectError(problems, () => {
      try {
        return parseCondition(value, customNames);
      } catch (error) {
        throw error instanceof ConditionSyntaxError ? error.at({ taskName: name, owner, role }) : error;
      }
    });
  problems.push({
    kind: 'usage',
    message: `Task "${name}" ${role}: expected a condition or a condition string, got ${JSON.stringify(value) ?? typeof value}.`,
  });
  return undefined;
}

/** The task's own time zone and its calendar, when it names one; an unknown zone is a problem. */
function ownZone(
  spec: TaskSpec,
  problems: RegistrationProblem[],
): { timezone?: string; calendar?: Calendar } {
  const { timezone } = spec.options;
  if (timezone === undefined) return {};
  const calendar = collectError(problems, () =>
    calendarFor(timezone, `Task "${spec.name}" (${spec.owner}) timezone`, spec.name),
  );
  return calendar === undefined ? {} : { timezone, calendar };
}

/** The options a task may leave to the config; a task that sets none shares its settings. */
const SETTING_KEYS = [
  'execution',
  'priority',
  'timeout',
  'disabled',
  'multilaunch',
  'overlap',
  'catchup',
  'catchupWindow',
  'jitter',
  'timezone',
  'pauseAfterFailures',
  'rerunCrashed',
  'onStartup',
  'onShutdown',
  'permanent',
  'maxBatches',
] as const satisfies readonly (keyof TaskOptions)[];

/** Per config: the settings of a task that sets none of {@link SETTING_KEYS}, settled once. */
const configDefaults = new WeakMap<AppConfig, TaskSettings>();

/**
 * Settles a task's options against the app's config into what the scheduler runs. Every
 * problem (an unknown execution, a condition that does not parse, a bad timeout, a thread
 * task a worker could not find) is added to `problems`; the definition is only meant to be
 * used when there are none. `customNames` are the custom conditions a condition string may name.
 */
export function defineTask(
  spec: TaskSpec,
  config: AppConfig,
  customNames: ReadonlySet<string>,
  problems: RegistrationProblem[],
  /** Whether the app has an executor for `queue` runs (`...bullmq()`). */
  hasQueue = false,
): TaskDefinition {
  const { name, owner, options, signature } = spec;
  const execution = options.execution ?? config.execution ?? 'async';
  if (EXECUTIONS.includes(execution)) {
    const crossing = checkCrossing(spec, signature, execution, options.execution === undefined);
    if (crossing.length > 0) problems.push(...crossing);
  } else {
    problems.push({
      kind: 'usage',
      message: `Task "${name}" (${owner}): execution ${JSON.stringify(execution)} is not one of 'main', 'async', 'thread', 'process', 'queue'.`,
    });
  }
  if (execution === 'queue' && !hasQueue)
    problems.push({ kind: 'error', error: queueMissing(spec, options) });
  return new SettledTask(
    name,
    owner,
    condition(spec, 'start', customNames, problems) ?? never,
    condition(spec, 'end', customNames, problems),
    options.parameters === undefined ? NO_PARAMETERS : { ...options.parameters },
    signature,
    spec.invoke,
    settingsOf(spec, execution, config, problems),
  );
}

/**
 * The task's settings: those of the config, shared, when the task sets none of its own and
 * runs in this process (a thread or process task has a target of its own); else its own.
 */
function settingsOf(
  spec: TaskSpec,
  execution: Execution,
  config: AppConfig,
  problems: RegistrationProblem[],
): TaskSettings {
  const own = SETTING_KEYS.some((key) => spec.options[key] !== undefined);
  if (own || execution === 'thread' || execution === 'process')
    return settle(spec, execution, config, problems);
  const shared = configDefaults.get(config);
  if (shared !== undefined) return shared;
  // Only settings that settled without a problem are shared: a bad config is reported per task.
  const found: RegistrationProblem[] = [];
  const settings = Object.freeze(settle(spec, execution, config, found));
  problems.push(...found);
  if (found.length === 0) configDefaults.set(config, settings);
  return settings;
}

/** Settles the task's own settings, adding what does not settle to `problems`. */
function settle(
  spec: TaskSpec,
  execution: Execution,
  config: AppConfig,
  problems: RegistrationProblem[],
): TaskSettings {
  const { name, owner, options } = spec;
  const target =
    execution === 'thread' || execution === 'process'
      ? taskTarget(
          `Task "${name}" (${owner}, execution '${execution}')`,
          name,
          options,
          spec.origin,
          problems,
        )
      : undefined;
  const timeout = options.timeout ?? config.timeout;
  return {
    execution,
    target,
    priority: options.priority ?? 0,
    timeout:
      timeout === undefined
        ? DEFAULT_TIMEOUT
        : timeout === 'never'
          ? Infinity
          : (collectError(problems, () => toMilliseconds(timeout, `Task "${name}" timeout`)) ??
            DEFAULT_TIMEOUT),
    ...settlePolicies(name, options, config, problems),
    ...ownZone(spec, problems),
    maxBatches: maxBatches(options.maxBatches ?? config.maxBatches, name, problems),
    onStartup: options.onStartup ?? false,
    onShutdown: options.onShutdown ?? false,
    permanent: options.permanent ?? false,
    disabled: options.disabled ?? false,
  };
}

function queueMissing(spec: TaskSpec, options: TaskOptions): ConfigurationError {
  const from = options.execution === undefined ? ' (from config.execution)' : '';
  return new ConfigurationError(
    `Task "${spec.name}" (${spec.owner}) execution${from}`,
    'queue',
    "an execution this app can run: 'queue' runs need a queue. " +
      "Fix: spread ...bullmq({ url, name }) from '@apogee/bullmq' (with ...redis({ url, name }) from " +
      "'@apogee/redis') into new App({ ... }), or choose another execution",
    { taskName: spec.name },
  );
}

function maxBatches(value: number | undefined, name: string, problems: RegistrationProblem[]): number {
  if (value === undefined) return DEFAULT_MAX_BATCHES;
  if (Number.isInteger(value) && value >= 1) return value;
  problems.push({
    kind: 'usage',
    message: `Task "${name}": maxBatches ${String(value)} is not valid. Expected a whole number of at least 1.`,
  });
  return DEFAULT_MAX_BATCHES;
}
