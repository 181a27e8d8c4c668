import { ConfigurationError } from '../../errors/ConfigurationError';
import type { Catchup, Overlap, TaskOptions } from '../../metadata/TaskOptions';
import type { TaskDefinition } from '../../scheduler/task/TaskDefinition';
import { toMilliseconds, type Duration } from '../../time/Duration';
import type { AppConfig } from '../AppConfig';
import { collectError } from './collectError';
import type { RegistrationProblem } from './RegistrationProblem';

const OVERLAPS: readonly string[] = ['skip', 'queue', 'replace', 'allow'];
const CATCHUPS: readonly string[] = ['none', 'latest', 'all'];
const DEFAULT_CATCHUP_WINDOW = 24 * 3_600_000;

type Policies = Pick<
  TaskDefinition,
  'overlap' | 'multilaunch' | 'catchup' | 'catchupWindow' | 'jitter' | 'pauseAfterFailures'
>;

/**
 * The overlap that `overlap` and its older name `multilaunch` give at one level (task options or
 * config), or a `ConfigurationError` when they contradict each other.
 */
export function overlapAt(
  level: { readonly overlap?: Overlap; readonly multilaunch?: boolean },
  where: string,
): Overlap | undefined {
  const { overlap, multilaunch } = level;
  if (overlap !== undefined && !OVERLAPS.includes(overlap))
    throw new ConfigurationError(`${where} overlap`, overlap, "'skip', 'queue', 'replace' or 'allow'");
  if (multilaunch === undefined) return overlap;
  const fromMultilaunch: Overlap = multilaunch ? 'allow' : 'skip';
  if (overlap !== undefined && multilaunch !== (overlap === 'allow'))
    throw new ConfigurationError(
      `${where} multilaunch`,
      multilaunch,
      `a value that agrees with overlap '${overlap}' (multilaunch is the older name of overlap: 'allow'); drop multilaunch and keep overlap`,
    );
  return overlap ?? fromMultilaunch;
}

/** Throws a `ConfigurationError` for a failure count that is not a whole number of at least 1. */
export function checkPauseAfterFailures(value: number | undefined, where: string): number {
  if (value === undefined) return Infinity;
  if (Number.isInteger(value) && value >= 1) return value;
  throw new ConfigurationError(`${where} pauseAfterFailures`, value, 'a whole number of at least 1');
}

/** Throws a `ConfigurationError` for a catch-up policy Apogee does not know. */
export function checkCatchup(value: Catchup | undefined, where: string): Catchup | undefined {
  if (value === undefined || CATCHUPS.includes(value)) return value;
  throw new ConfigurationError(`${where} catchup`, value, "'none', 'latest' or 'all'");
}

const ms = (value: Duration | undefined, what: string): number | undefined =>
  value === undefined ? undefined : toMilliseconds(value, what);

/**
 * Settles a task's run policies (see the README, "Policies"): the task's option wins over the
 * config's default, at each level `overlap` over its older name `multilaunch`. Problems are
 * added to `problems`.
 */
export function settlePolicies(
  name: string,
  options: TaskOptions,
  config: AppConfig,
  problems: RegistrationProblem[],
): Policies {
  const where = `Task "${name}"`;
  const overlap =
    collectError(problems, () => overlapAt(options, where)) ?? overlapAt(config, 'config') ?? 'skip';
  return {
    overlap,
    multilaunch: overlap === 'allow',
    catchup: collectError(problems, () => checkCatchup(options.catchup, where)) ?? config.catchup ?? 'none',
    catchupWindow:
      collectError(problems, () => ms(options.catchupWindow, `${where} catchupWindow`)) ??
      ms(config.catchupWindow, 'config.catchupWindow') ??
      DEFAULT_CATCHUP_WINDOW,
    jitter:
      collectError(problems, () => ms(options.jitter, `${where} jitter`)) ??
      ms(config.jitter, 'config.jitter') ??
      0,
    pauseAfterFailures:
      options.pauseAfterFailures === undefined
        ? checkPauseAfterFailures(config.pauseAfterFailures, 'config')
        : (collectError(problems, () => checkPauseAfterFailures(options.pauseAfterFailures, where)) ??
          Infinity),
  };
}
