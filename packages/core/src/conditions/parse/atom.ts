import { toMilliseconds, type Duration } from '../../time/Duration';
import { all, any, type Condition } from '../Condition';
import { always, never } from '../constants';
import { cond } from '../custom/CustomCondition';
import { ParamCondition } from '../session/ParamCondition';
import { schedulerCycles } from '../session/schedulerCycles';
import { schedulerRunning } from '../session/schedulerRunning';
import { DependCondition, type DependOutcome } from '../task/DependCondition';
import { retry } from '../task/retry';
import { running } from '../task/running';
import { StatusCondition, type StatusKind, type StatusWindow } from '../task/StatusCondition';
import { cron } from '../time/cron';
import { every } from '../time/every';
import {
  daily,
  hourly,
  minutely,
  monthly,
  secondly,
  weekly,
  type PeriodCondition,
} from '../time/PeriodCondition';
import * as restrict from '../time/restrict';
import { TimePeriod, type PeriodUnit } from '../time/TimePeriod';
import {
  timeOfDay,
  timeOfHour,
  timeOfMinute,
  timeOfMonth,
  timeOfSecond,
  timeOfWeek,
  type WindowBuilder,
} from '../time/WindowCondition';

const PERIODS: Readonly<Record<string, PeriodCondition>> = {
  secondly,
  minutely,
  hourly,
  daily,
  weekly,
  monthly,
};
const WINDOWS: Readonly<Record<string, WindowBuilder>> = {
  second: timeOfSecond,
  minute: timeOfMinute,
  hour: timeOfHour,
  day: timeOfDay,
  week: timeOfWeek,
  month: timeOfMonth,
};
const PERIOD_WORDS: Readonly<Record<string, PeriodUnit>> = {
  'this second': 'second',
  'this minute': 'minute',
  'this hour': 'hour',
  today: 'day',
  'this week': 'week',
  'this month': 'month',
};
const DEPEND_WORDS: Readonly<Record<string, DependOutcome>> = {
  succeeded: 'success',
  failed: 'fail',
  finished: 'finish',
};

/** Keywords offered when an atom is misspelt. */
export const KEYWORDS = [
  'true',
  'false',
  'always',
  'never',
  'always true',
  'always false',
  'minutely',
  'hourly',
  'daily',
  'weekly',
  'monthly',
  'secondly',
  'every',
  'cron',
  'time of minute',
  'time of hour',
  'time of day',
  'time of week',
  'time of month',
  'after task',
  'after tasks',
  'after any tasks',
  'has started',
  'has succeeded',
  'has failed',
  'has finished',
  'has terminated',
  'has inacted',
  'is running',
  'env',
  'param',
  'retry',
  'scheduler has run over',
  'scheduler has more than',
  'scheduler has less than',
];

const quoted = String.raw`'([^']*)'|"([^"]*)"`;
const names = (list: string): string[] =>
  [...list.matchAll(new RegExp(quoted, 'g'))].map((m) => m[1] ?? m[2] ?? '');

/** The status window a status atom names: a period word with an optional restriction, or `past <duration>`. */
function statusWindow(
  kind: string,
  periodWord: string | undefined,
  restriction: string | undefined,
  past: string | undefined,
): StatusWindow {
  if (past !== undefined) return { kind: 'past', ms: toMilliseconds(past, 'past'), text: `past ${past}` };
  if (periodWord === undefined) return { kind: 'ever' };
  const unit = PERIOD_WORDS[periodWord] as PeriodUnit;
  if (restriction === undefined)
    return { kind: 'period', period: new TimePeriod(unit, undefined, undefined), text: periodWord };
  const what = `has ${kind} ${periodWord}`;
  const m = /^(?:between (.+) and (.+)|(before|after|starting|on) (.+))$/.exec(restriction);
  let r: restrict.Restriction;
  if (m?.[1] !== undefined && m[2] !== undefined) r = restrict.between(unit, m[1], m[2], what);
  else if (m?.[3] === 'before') r = restrict.before(unit, m[4] as string, what);
  else if (m?.[3] === 'after') r = restrict.after(unit, m[4] as string, what);
  else if (m?.[3] === 'starting') r = restrict.starting(unit, m[4] as string, what);
  else r = restrict.at(unit, m?.[4] ?? restriction, what);
  return { kind: 'period', period: r.period, text: `${periodWord} ${r.text}` };
}

/**
 * `past <duration>` alone: Rocketry registers it as a time span, but a span reaching back from
 * now always contains now, so Rocketry refuses to make it a condition (IsPeriod raises). It is
 * meaningful only after a status: `has succeeded past 1 hour`.
 */
export class PastSpanError extends Error {
  constructor(readonly atom: string) {
    super(`'${atom}' is a span of time, not a condition: it only restricts a status`);
  }
}

/** One kind of atom: the text it matches (normalised spaces) and the condition it builds. */
interface AtomRule {
  readonly pattern: RegExp;
  /** The condition, or `undefined` when the text matches the form but not its rules. */
  readonly build: (m: RegExpExecArray) => Condition | undefined;
}

function periodAtom(m: RegExpExecArray): Condition {
  const period = PERIODS[m[1] as string] as PeriodCondition;
  if (m[2] === 'between') return period.between(m[3] as string, m[4] as string);
  const x = m[6] as string;
  switch (m[5]) {
    case 'before':
      return period.before(x);
    case 'after':
      return period.after(x);
    case 'on':
      return period.on(x);
    case 'at':
      return period.at(x);
    case 'starting':
      return period.starting(x);
    default:
      return period;
  }
}

function windowAtom(m: RegExpExecArray): Condition {
  const window = WINDOWS[m[1] as string] as WindowBuilder;
  if (m[2] === 'between') return window.between(m[3] as string, m[4] as string);
  if (m[5] === 'before') return window.before(m[6] as string);
  if (m[5] === 'after') return window.after(m[6] as string);
  return window.on(m[6] as string);
}

function dependAtom(m: RegExpExecArray): Condition | undefined {
  const outcome = DEPEND_WORDS[m[4] ?? 'succeeded'] as DependOutcome;
  const list = names(m[3] as string).map((n) => new DependCondition(n, outcome));
  if (m[2] === 'task' && list.length !== 1) return undefined;
  return m[1] === undefined ? all(...list) : any(...list);
}

/** The atoms, tried in order; the first whose pattern matches decides. */
const ATOM_RULES: readonly AtomRule[] = [
  {
    pattern:
      /^(secondly|minutely|hourly|daily|weekly|monthly)(?: (between) (.+) and (.+)| (before|after|on|at|starting) (.+))?$/,
    build: periodAtom,
  },
  {
    pattern:
      /^time of (second|minute|hour|day|week|month) (?:(between) (.+) and (.+)|(before|after|on) (.+))$/,
    build: windowAtom,
  },
  { pattern: /^every (.+)$/, build: (m) => every(m[1] as Duration) },
  { pattern: /^cron (.+)$/, build: (m) => cron(m[1] as string) },
  {
    pattern: /^retry(?: (\d+))?$/,
    build: (m) => retry(m[1] === undefined ? Number.MAX_SAFE_INTEGER : Number(m[1])),
  },
  {
    pattern: new RegExp(
      String.raw`^(?:task (?:${quoted}) )?has (started|succeeded|failed|finished|terminated|inacted)` +
        String.raw`(?: (this second|this minute|this hour|today|this week|this month)(?: (.+))?| (?:in )?past (.+))?$`,
    ),
    build: (m) => {
      const kind = m[3] as StatusKind;
      return new StatusCondition(kind, m[1] ?? m[2], statusWindow(kind, m[4], m[5], m[6]));
    },
  },
  {
    pattern: new RegExp(String.raw`^(?:while )?(?:task (?:${quoted}) )?is running$`),
    build: (m) => running(m[1] ?? m[2]),
  },
  {
    pattern: /^after (any )?(tasks?) ((?:(?:'[^']*'|"[^"]*")(?:, ?)?)+)(?: (succeeded|failed|finished))?$/,
    build: dependAtom,
  },
  {
    pattern: /^scheduler has run over (.+)$/,
    build: (m) => schedulerRunning({ moreThan: m[1] as Duration }),
  },
  {
    pattern: /^scheduler started (.+) ago$/,
    build: (m) => schedulerRunning({ lessThan: m[1] as Duration }),
  },
  {
    pattern: /^scheduler has (?:(more|less) than )?(\d+) cycles$/,
    build: (m) => {
      const n = Number(m[2]);
      return schedulerCycles(
        m[1] === 'more' ? { moreThan: n } : m[1] === 'less' ? { lessThan: n } : { exactly: n },
      );
    },
  },
  {
    pattern: new RegExp(String.raw`^env (?:${quoted})$`),
    build: (m) => new ParamCondition('env', m[1] ?? m[2]),
  },
  {
    pattern: new RegExp(String.raw`^param (?:${quoted}) (?:exists|is (?:${quoted}))$`),
    build: (m) => new ParamCondition(m[1] ?? m[2] ?? '', m[3] ?? m[4]),
  },
];

/**
 * One atom (no operators) as a condition, or `undefined` when it matches nothing. Errors from
 * the builders (a bad time, a bad duration) propagate as they are.
 */
export function atom(text: string, customNames: ReadonlySet<string>): Condition | undefined {
  if (customNames.has(text)) return cond(text);
  const t = text.replace(/\s+/g, ' ');
  // Rocketry registers 'always' and 'never' as time spans that contain every or no instant.
  if (t === 'true' || t === 'always true' || t === 'always') return always;
  if (t === 'false' || t === 'always false' || t === 'never') return never;
  if (/^past .+$/.test(t)) throw new PastSpanError(t);
  for (const rule of ATOM_RULES) {
    const m = rule.pattern.exec(t);
    if (m !== null) return rule.build(m);
  }
  return undefined;
}
