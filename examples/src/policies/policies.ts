/**
 * Run policies: what a task does when it is due while a run is live (`overlap`), about cron
 * instants missed while the app was down (`catchup`, with an SQLite log), about 500 replicas
 * hitting an API at the same second (`jitter`), and about a task that keeps failing
 * (`pauseAfterFailures`, undone with `task.enable()`).
 */
import { App, cron, every, MemoryRunLog, ScheduledAt, Task, type RunLog } from '@apogee/core';
import { runMain } from '../runMain';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const hhmm = (d: Date): string => d.toISOString().slice(11, 16);

/** Tasks of the policies example. */
export class Policies {
  constructor(private readonly print: (line: string) => void) {}

  /** Takes 2.5 minutes, due every minute: one run waits behind the live one, later instants merge into it. */
  @Task({ start: cron('* * * * *'), overlap: 'queue' })
  async sync(@ScheduledAt() at: Date): Promise<void> {
    this.print(`sync for ${hhmm(at)} started at ${hhmm(new Date())}`);
    await sleep(150_000);
  }

  /** Hourly; after downtime, one run per missed hour (within a day), oldest first. */
  @Task({ start: cron('0 * * * *'), catchup: 'all' })
  report(@ScheduledAt() hour: Date): void {
    this.print(`report for ${hhmm(hour)}`);
  }

  /** Spread over 30 s after each minute, so that replicas do not call the API together. */
  @Task({ start: cron('* * * * *'), jitter: '30 seconds' })
  ping(@ScheduledAt() at: Date): void {
    this.print(`ping for ${hhmm(at)} after ${String((Date.now() - at.getTime()) / 1000)} s`);
  }

  /** Fails every time: paused after three failures in a row, until `task.enable()`. */
  @Task({ start: every('10 seconds'), pauseAfterFailures: 3 })
  flaky(): never {
    throw new Error('the upstream API is down');
  }
}

export function createApp(
  print: (line: string) => void,
  log: RunLog = new MemoryRunLog(),
  random: () => number = Math.random,
): App {
  const app = new App({ log, random, config: { timezone: 'UTC' } });
  app.container.register(Policies, { useValue: new Policies(print) });
  app.register(Policies);
  app.events.subscribe((event) => {
    if (event.type === 'taskSkipped')
      print(
        `${event.taskName}: the run for ${hhmm(event.at)} was ${event.reason === 'merged' ? 'merged into the waiting one' : 'skipped'}`,
      );
    if (event.type === 'taskPaused')
      print(`${event.taskName} paused after ${String(event.failures)} failures in a row`);
  });
  return app;
}

runMain(module, createApp);
