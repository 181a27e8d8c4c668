/**
 * What "what runs next" costs when a condition is never true: four tasks started by `~hourly`
 * (`not(hourly)`: false at every hour's start, forever, so a prediction steps an hour at a time
 * until its budget is spent) and one every-second ticker, the case of `predict.budget.test.ts`.
 * Times `nextRun()` over all five tasks and `session.upcoming(1000)`, on the first call of the
 * process and warm, and counts the condition checks each call makes.
 */
import { App, Condition, every, hourly, not } from '@apogee/core';

type Context = Parameters<Condition['evaluate']>[0];

/** Counts the checks made of the condition it wraps (one increment: nothing a timing would see). */
class Counted extends Condition {
  checks = 0;
  constructor(private readonly inner: Condition) {
    super();
  }
  override get children(): readonly Condition[] {
    return [this.inner];
  }
  evaluate(ctx: Context): ReturnType<Condition['evaluate']> {
    this.checks++;
    return this.inner.evaluate(ctx);
  }
  toString(): string {
    return this.inner.toString();
  }
}

const WARMUP_CALLS = 5;
const TIMED_CALLS = 21;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

/** One process: the first call of each, then the median of {@link TIMED_CALLS} after {@link WARMUP_CALLS}. */
export function predictionCost(): object {
  const app = new App({ config: { timezone: 'UTC' } });
  const counted: Counted[] = [];
  const tasks = [1, 2, 3, 4].map((i) => {
    const start = new Counted(not(hourly));
    counted.push(start);
    return app.task({ name: `never${String(i)}`, start }, () => undefined);
  });
  const ticker = new Counted(every('1 second'));
  counted.push(ticker);
  tasks.push(app.task({ name: 'ticker', start: ticker }, () => undefined));
  const checks = (): number => counted.reduce((sum, c) => sum + c.checks, 0);

  const timed = <T>(fn: () => T): { ms: number; checks: number; result: T } => {
    const checks0 = checks();
    const t0 = performance.now();
    const result = fn();
    return { ms: performance.now() - t0, checks: checks() - checks0, result };
  };
  const nextRunAll = () => tasks.map((t) => t.nextRun());
  const upcoming = () => app.session.upcoming(1000);

  // nextRun() first: its first call also pays for compiling the code the two share.
  const nextFirst = timed(nextRunAll);
  const upFirst = timed(upcoming);
  for (let i = 0; i < WARMUP_CALLS; i++) {
    nextRunAll();
    upcoming();
  }
  const nextWarm: number[] = [];
  const upWarm: number[] = [];
  for (let i = 0; i < TIMED_CALLS; i++) {
    nextWarm.push(timed(nextRunAll).ms);
    upWarm.push(timed(upcoming).ms);
  }
  const predicted = nextFirst.result.filter((d) => d !== undefined).length;
  return {
    nextRunAllFirstMs: nextFirst.ms,
    nextRunAllWarmMs: median(nextWarm),
    nextRunAllChecks: nextFirst.checks,
    nextRunPredictedTasks: predicted,
    upcomingFirstMs: upFirst.ms,
    upcomingWarmMs: median(upWarm),
    upcomingChecks: upFirst.checks,
    upcomingReturned: upFirst.result.length,
  };
}
