import { errorMessage } from '../../errors/errorMessage';
import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';
import { closeNames } from '../../errors/closeNames';
import { toMilliseconds, type Duration } from '../../time/Duration';
import { ParamCondition } from '../session/ParamCondition';
import { all, any, not, type Condition } from '../Condition';
import { always, never } from '../constants';
import { cond } from '../custom/CustomCondition';
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

type Token =
  { kind: 'op'; op: '&' | '|' | '~' | '(' | ')'; pos: number } | { kind: 'atom'; text: string; pos: number };

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
const KEYWORDS = [
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

const EXAMPLES =
  "Write conditions such as 'every 10 seconds', 'daily between 08:00 and 10:00', \"after task 'fetch'\", " +
  "'time of day between 08:00 and 20:00 & every 10 minutes', or a registered custom condition's name, " +
  'combined with & (and), | (or), ~ (not) and parentheses.';

/**
 * Bounds on what the parser accepts. Conditions are written by people: these leave every real one
 * far inside, and keep a hostile or generated input (a megabyte of text, thousands of nested
 * parentheses) from costing seconds or overflowing the stack of the recursive descent.
 */
const MAX_INPUT_LENGTH = 10_000;
const MAX_NESTING = 100;
/** Atoms longer than this get no "did you mean": the edit distance is quadratic in length. */
const MAX_SUGGESTED_ATOM = 100;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i] as string;
    if (c === '&' || c === '|' || c === '~' || c === '(' || c === ')') {
      tokens.push({ kind: 'op', op: c, pos: i });
      i++;
      continue;
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    let quote: string | undefined;
    while (i < input.length) {
      const ch = input[i] as string;
      if (quote !== undefined) {
        if (ch === quote) quote = undefined;
      } else if (ch === "'" || ch === '"') quote = ch;
      else if ('&|~()'.includes(ch)) break;
      i++;
    }
    if (quote !== undefined)
      throw new ConditionSyntaxError(input, start, `the quote ${quote} is never closed`);
    tokens.push({ kind: 'atom', text: input.slice(start, i).trimEnd(), pos: start });
  }
  return tokens;
}

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
class PastSpanError extends Error {
  constructor(readonly atom: string) {
    super(`'${atom}' is a span of time, not a condition: it only restricts a status`);
  }
}

/**
 * One atom (no operators) as a condition, or `undefined` when it matches nothing. Errors from
 * the builders (a bad time, a bad duration) propagate as they are.
 */
function atom(text: string, customNames: ReadonlySet<string>): Condition | undefined {
  if (customNames.has(text)) return cond(text);
  const t = text.replace(/\s+/g, ' ');
  // Rocketry registers 'always' and 'never' as time spans that contain every or no instant.
  if (t === 'true' || t === 'always true' || t === 'always') return always;
  if (t === 'false' || t === 'always false' || t === 'never') return never;
  if (/^past .+$/.test(t)) throw new PastSpanError(t);

  let m =
    /^(secondly|minutely|hourly|daily|weekly|monthly)(?: (between) (.+) and (.+)| (before|after|on|at|starting) (.+))?$/.exec(
      t,
    );
  if (m !== null) {
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
  m = /^time of (second|minute|hour|day|week|month) (?:(between) (.+) and (.+)|(before|after|on) (.+))$/.exec(
    t,
  );
  if (m !== null) {
    const window = WINDOWS[m[1] as string] as WindowBuilder;
    if (m[2] === 'between') return window.between(m[3] as string, m[4] as string);
    if (m[5] === 'before') return window.before(m[6] as string);
    if (m[5] === 'after') return window.after(m[6] as string);
    return window.on(m[6] as string);
  }
  m = /^every (.+)$/.exec(t);
  if (m !== null) return every(m[1] as Duration);
  m = /^cron (.+)$/.exec(t);
  if (m !== null) return cron(m[1] as string);
  m = /^retry(?: (\d+))?$/.exec(t);
  if (m !== null) return retry(m[1] === undefined ? Number.MAX_SAFE_INTEGER : Number(m[1]));
  m = new RegExp(
    String.raw`^(?:task (?:${quoted}) )?has (started|succeeded|failed|finished|terminated|inacted)` +
      String.raw`(?: (this second|this minute|this hour|today|this week|this month)(?: (.+))?| (?:in )?past (.+))?$`,
  ).exec(t);
  if (m !== null) {
    const kind = m[3] as StatusKind;
    return new StatusCondition(kind, m[1] ?? m[2], statusWindow(kind, m[4], m[5], m[6]));
  }
  m = new RegExp(String.raw`^(?:while )?(?:task (?:${quoted}) )?is running$`).exec(t);
  if (m !== null) return running(m[1] ?? m[2]);
  m = /^after (any )?(tasks?) ((?:(?:'[^']*'|"[^"]*")(?:, ?)?)+)(?: (succeeded|failed|finished))?$/.exec(t);
  if (m !== null) {
    const outcome = DEPEND_WORDS[m[4] ?? 'succeeded'] as DependOutcome;
    const list = names(m[3] as string).map((n) => new DependCondition(n, outcome));
    if (m[2] === 'task' && list.length !== 1) return undefined;
    return m[1] === undefined ? all(...list) : any(...list);
  }
  m = /^scheduler has run over (.+)$/.exec(t);
  if (m !== null) return schedulerRunning({ moreThan: m[1] as Duration });
  m = /^scheduler started (.+) ago$/.exec(t);
  if (m !== null) return schedulerRunning({ lessThan: m[1] as Duration });
  m = /^scheduler has (?:(more|less) than )?(\d+) cycles$/.exec(t);
  if (m !== null) {
    const n = Number(m[2]);
    return schedulerCycles(
      m[1] === 'more' ? { moreThan: n } : m[1] === 'less' ? { lessThan: n } : { exactly: n },
    );
  }
  m = new RegExp(String.raw`^env (?:${quoted})$`).exec(t);
  if (m !== null) return new ParamCondition('env', m[1] ?? m[2]);
  m = new RegExp(String.raw`^param (?:${quoted}) (?:exists|is (?:${quoted}))$`).exec(t);
  if (m !== null) return new ParamCondition(m[1] ?? m[2] ?? '', m[3] ?? m[4]);
  return undefined;
}

/**
 * Parses the condition language: atoms such as `'daily between 08:00 and 10:00'`,
 * `'every 10 seconds'` or `"after task 'fetch'"`, and the names of registered custom
 * conditions, combined with `~` (tightest), `&`, then `|`, and parentheses.
 *
 * A string that does not parse is a {@link ConditionSyntaxError} with the position and the
 * nearest keyword.
 *
 * @example
 * ```ts
 * parseCondition("daily after 08:00 & after task 'fetch'", new Set());
 * ```
 */
export function parseCondition(input: string, customNames: ReadonlySet<string>): Condition {
  if (input.length > MAX_INPUT_LENGTH) {
    const shown = 40;
    throw new ConditionSyntaxError(
      `${input.slice(0, shown)}…`,
      shown,
      `the input is ${String(input.length)} characters long; a condition may have at most ${String(MAX_INPUT_LENGTH)}`,
      'Split it: give parts of it their own tasks (after task ...) or custom conditions (@Cond), and combine those.',
    );
  }
  const tokens = tokenize(input);
  let i = 0;
  let depth = 0;
  const peek = (): Token | undefined => tokens[i];
  const end = (): number => input.length;

  const fail = (pos: number, problem: string, hint = EXAMPLES): never => {
    throw new ConditionSyntaxError(input, pos, problem, hint);
  };

  const parseOr = (): Condition => {
    const parts = [parseAnd()];
    for (let t = peek(); t?.kind === 'op' && t.op === '|'; t = peek()) {
      i++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? (parts[0] as Condition) : any(...parts);
  };
  const parseAnd = (): Condition => {
    const parts = [parseUnary()];
    for (let t = peek(); t?.kind === 'op' && t.op === '&'; t = peek()) {
      i++;
      parts.push(parseUnary());
    }
    return parts.length === 1 ? (parts[0] as Condition) : all(...parts);
  };
  const parseGroup = (openedAt: number): Condition => {
    const inner = parseOr();
    const close = peek();
    if (close?.kind !== 'op' || close.op !== ')')
      return fail(
        close?.pos ?? end(),
        `expected ')' to close the '(' opened at position ${String(openedAt)}`,
      );
    i++;
    return inner;
  };
  const parseUnary = (): Condition => {
    const t = peek();
    if (t === undefined) return fail(end(), 'expected a condition, found the end of the input');
    if (t.kind === 'op') {
      if (t.op === '~' || t.op === '(') {
        if (++depth > MAX_NESTING)
          fail(
            t.pos,
            `'(' and '~' are nested more than ${String(MAX_NESTING)} levels deep here`,
            'Flatten it: a & b & c needs no parentheses, and ~~x is x.',
          );
        i++;
        const inner = t.op === '~' ? not(parseUnary()) : parseGroup(t.pos);
        depth--;
        return inner;
      }
      return fail(t.pos, `expected a condition, found '${t.op}'`);
    }
    i++;
    let parsed: Condition | undefined;
    try {
      parsed = atom(t.text, customNames);
    } catch (error) {
      if (error instanceof ConditionSyntaxError) throw error;
      if (error instanceof PastSpanError)
        return fail(
          t.pos,
          error.message,
          `Write it after a status, e.g. "has succeeded ${error.atom}" or "task 'fetch' has failed ${error.atom}".`,
        );
      const reason = errorMessage(error);
      return fail(t.pos, `'${t.text}' is not a valid condition (${reason})`);
    }
    if (parsed === undefined) {
      const suggestible = t.text.length <= MAX_SUGGESTED_ATOM;
      const suggestions = suggestible ? closeNames(t.text, [...KEYWORDS, ...customNames]) : [];
      const firstWord = (t.text.split(/\s+/, 1)[0] ?? '').slice(0, MAX_SUGGESTED_ATOM);
      const byWord = suggestions.length > 0 ? suggestions : closeNames(firstWord, KEYWORDS);
      const mean = byWord.length > 0 ? `Did you mean ${byWord.map((s) => `'${s}'`).join(' or ')}? ` : '';
      const known =
        customNames.size > 0 ? `Registered custom conditions: ${[...customNames].join(', ')}. ` : '';
      return fail(
        t.pos,
        `'${t.text}' is not a known condition or a registered custom condition`,
        `${mean}${known}${EXAMPLES}`,
      );
    }
    return parsed;
  };

  const result = parseOr();
  const rest = peek();
  if (rest !== undefined)
    fail(
      rest.pos,
      `unexpected ${rest.kind === 'op' ? `'${rest.op}'` : `'${rest.text}'`} after a complete condition`,
    );
  return result;
}
