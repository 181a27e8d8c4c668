/**
 * Section 8 of bench/RESULTS.md: the figures of the README's "Guarantees" (what one fault costs
 * the rest of the scheduler), each measured in fresh processes like the other sections.
 */

/** What one process printed. */
export type Sample = Record<string, number | boolean>;

/** The samples of one measurement, one per run. */
export interface Row {
  readonly label: string;
  readonly samples: Sample[];
}

/** One measurement: a scenario of scenario.ts, its library and its options. */
export interface Case {
  readonly label: string;
  readonly scenario: string;
  readonly lib: string;
  readonly opts: Record<string, string | number>;
}

/** What run.ts lends this section: its runner and its formatting. */
export interface Tools {
  readonly seconds: number;
  readonly repeat: (
    label: string,
    scenario: string,
    lib: string,
    opts: Record<string, string | number>,
  ) => Row;
  readonly interleaved: (cases: readonly Case[]) => Row[];
  readonly cell: (row: Row, key: string, digits?: number) => string;
  readonly stats: (row: Row, key: string) => { median: number; min: number; max: number };
  readonly fmt: (x: number, digits?: number) => string;
}

/** Rows of the SQLite file the records and retention measurements start from. */
export const SQLITE_ROWS = 680_000;
/** Seconds after the first full second before the hung-condition window opens. */
const HANG_WARMUP = 2;

/** Runs the section's measurements and returns its Markdown and its JSON. */
export function guaranteesSection(t: Tools): { markdown: string; json: Record<string, unknown> } {
  const { repeat, cell, stats, fmt, seconds } = t;
  const whole = (row: Row, key: string): string => fmt(stats(row, key).median, 0);

  const prediction = repeat('guarantees prediction', 'predictionCost', 'apogee', {});
  const latencyOpts = (hang: number) => ({ n: 0, seconds, warmup: HANG_WARMUP, hang });
  const [noFault, hung] = t.interleaved([
    { label: 'guarantees no fault', scenario: 'latency', lib: 'apogee', opts: latencyOpts(0) },
    { label: 'guarantees hung condition', scenario: 'latency', lib: 'apogee', opts: latencyOpts(1) },
  ]) as [Row, Row];
  const records = repeat('guarantees sqlite records', 'sqliteRecords', 'apogee', { rows: SQLITE_ROWS });
  const drain = repeat('guarantees sqlite drain', 'sqliteDrain', 'apogee', { rows: SQLITE_ROWS });
  const rate = repeat('guarantees sqlite append rate', 'sqliteAppendRate', 'apogee', { seconds });

  const latencyLine = (label: string, row: Row): string =>
    `| ${label} | ${cell(row, 'p50')} | ${cell(row, 'p99')} | ${cell(row, 'max')} | ${['blockP50', 'blockP99', 'blockMax'].map((k) => fmt(stats(row, k).median)).join(' / ')} | ${row === hung ? cell(row, 'conditionFailures', 0) : '–'} |`;

  const markdown = [
    '### 8. Guarantees: what a fault costs the rest of the scheduler',
    '',
    'The figures the README\'s "Guarantees" section quotes, as "(bench §8)".',
    '',
    "**What runs next when a condition is never true.** Four tasks started by `~hourly` (`not(hourly)`: false at the start of every hour, forever, so a prediction steps an hour at a time until its budget is spent) and one `every('1 second')` ticker; the app is not running. Condition checks are counted by a wrapper around each start condition.",
    '',
    '| call | first call, ms | warm, ms | condition checks | result |',
    '|---|---|---|---|---|',
    `| \`nextRun()\` of each of the 5 tasks, in all | ${cell(prediction, 'nextRunAllFirstMs')} | ${cell(prediction, 'nextRunAllWarmMs')} | ${whole(prediction, 'nextRunAllChecks')} | ${whole(prediction, 'nextRunPredictedTasks')} of 5 predicted |`,
    `| \`session.upcoming(1000)\` | ${cell(prediction, 'upcomingFirstMs')} | ${cell(prediction, 'upcomingWarmMs')} | ${whole(prediction, 'upcomingChecks')} | ${whole(prediction, 'upcomingReturned')} runs |`,
    '',
    'First call: the first of the process (the `nextRun()` calls come first, so they also pay for compiling the code the two share). Warm: the median of 21 calls after 5. The budget: 256 checks per `nextRun()` call (4 × 256 for the never-true tasks, 1 for the ticker) and 256 + 2n for `upcoming(n)` (at most 4,096), shared by all tasks and spent on the soonest runs.',
    '',
    `**A custom condition that never settles.** 50 tasks every second (\`* * * * * *\`, as in section 3, so that each run has a due instant to be late against), alone and beside a custom condition whose check returns a promise that never settles, deciding a task of its own. Window: ${seconds} s from ${HANG_WARMUP} s after the first full second, so the check's \`config.conditionTimeout\` (10 s after start) falls inside it; measured and converted to the wall clock as in section 3, but without its long warm-up: compare the two rows with each other rather than with section 3's steady state. Their runs alternate (no fault, fault, no fault, ...), so a change in the machine's load meets both alike. On this shared 2-core VM the event loop of either app stalls for 3–4 ms now and then (checked by hand with a 1 ms probe over 25 s: about as many stalls with the hung condition as without, 71 and 76); when one falls just before a due instant, that second's 50 runs all start that much later, which is what moves a run's p99.`,
    '',
    '| case | p50 ms | p99 ms | max ms | blocking p50 / p99 / max ms | condition time-outs in the run |',
    '|---|---|---|---|---|---|',
    latencyLine('no fault', noFault),
    latencyLine('a condition that never settles', hung),
    '',
    `**The SQLite run log under volume** (\`bench/src/sqliteRetention.ts\`). A file of ${SQLITE_ROWS.toLocaleString('en-US')} records over 4 tasks, written in one statement, each measurement in a process of its own.`,
    '',
    '| measurement | time | resident memory added |',
    '|---|---|---|',
    `| \`records({ limit: 1 })\` | ${cell(records, 'limitOneMs')} ms | ${cell(records, 'limitOneRssMb', 1)} MB |`,
    `| \`records({ taskName, action, limit: 100, offset: 1000 })\` | ${cell(records, 'pageOf100Ms')} ms | |`,
    `| the whole table, keeping the last record (what \`limit\` avoids) | ${cell(records, 'wholeTableThenSliceMs', 0)} ms | ${cell(records, 'wholeTableThenSliceRssMb', 0)} MB |`,
    `| one retention step (up to 500 records), cap \`perTask: 10000\` draining the file: median | ${cell(drain, 'stepMedianMs')} ms | |`,
    `| the same, p99 / max of the ${whole(drain, 'steps')} steps | ${fmt(stats(drain, 'stepP99Ms').median)} / ${fmt(stats(drain, 'stepMaxMs').median)} ms | |`,
    `| the whole drain (${whole(drain, 'removed')} records removed) | ${cell(drain, 'totalMs', 0)} ms | |`,
    '',
    `| appends in a tight loop for ${seconds} s, \`perTask: 1000\`, 70% to one task | appends per second | most records one task held |`,
    '|---|---|---|',
    `| | ${cell(rate, 'appendsPerSecond', 0)} | ${cell(rate, 'mostRowsOfOneTask', 0)} |`,
    '',
    "Every 100th append runs a retention step itself, so a task holds at most `perTask` + 100 records whatever the append rate; the most held is sampled every 10 appends. One step in a hundred or so waits tens of milliseconds for SQLite's WAL checkpoint (the p99 column).",
  ].join('\n');
  return { markdown, json: { prediction, noFault, hung, records, drain, rate } };
}
