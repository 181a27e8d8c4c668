/**
 * The default example (`pnpm start`): a small pipeline that keeps running and prints what it
 * does until Ctrl-C, with the dashboard served on http://127.0.0.1:4400/ (another port with
 * APOGEE_PORT; 0 picks a free one). Its run log is an SQLite file, so the daily report runs once
 * a day however often the example is restarted.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  afterSuccess,
  App,
  Arg,
  daily,
  every,
  MemoryRunLog,
  Return,
  Task,
  type RunLog,
  type SchedulerEvent,
} from '@apogee/core';
import { serveControl } from '@apogee/http';
import { SqliteRunLog } from '@apogee/sqlite';
import { runMain } from './runMain';
import { messageOf } from './messageOf';

/** Tasks of the default example. */
export class Pipeline {
  private fetched = 0;

  @Task(every('5 seconds'))
  fetch(@Arg('source', 'sensor-1') source: string): { source: string; reading: number } {
    this.fetched++;
    return { source, reading: Math.round(20 + 5 * Math.sin(this.fetched)) };
  }

  @Task(afterSuccess('fetch'))
  store(@Return('fetch') row: { source: string; reading: number }): string {
    return `stored ${row.source}=${row.reading}`;
  }

  @Task(daily.after('00:00'))
  report(@Arg('recipient') recipient: string): string {
    return `daily report sent to ${recipient}`;
  }
}

/** One line per event, as the example prints them. */
export function describe(event: SchedulerEvent): string {
  const time = event.at.toISOString().slice(11, 19);
  switch (event.type) {
    case 'taskSucceeded':
      return `${time} ${event.taskName} succeeded: ${JSON.stringify(event.returnValue)}`;
    case 'taskFailed':
      return `${time} ${event.taskName} failed: ${messageOf(event.error)}`;
    case 'taskStarted':
    case 'taskTerminated':
    case 'taskInacted':
      return `${time} ${event.taskName} ${event.type.slice(4).toLowerCase()}`;
    default:
      return `${time} ${event.type}`;
  }
}

/** Builds the example app; `print` receives one line per event. */
export function createApp(print: (line: string) => void, log: RunLog = new MemoryRunLog()): App {
  const app = new App({ params: { recipient: 'ops@example.com' }, tasks: [Pipeline], log });
  app.events.subscribe((event) => {
    if (event.type === 'schedulerStarted') {
      const last = app.session.get('report').lastSuccess;
      print(
        last === undefined
          ? 'report has not run yet'
          : `report last ran at ${last.toISOString()}; once a day is enough`,
      );
    }
    if (event.type !== 'taskStarted') print(describe(event));
  });
  return app;
}

runMain(module, (print) => {
  const dir = join(__dirname, '..', '..', '.apogee');
  mkdirSync(dir, { recursive: true });
  print('Apogee example running; press Ctrl-C to stop.');
  const app = createApp(print, new SqliteRunLog(join(dir, 'example.db')));
  serveDashboard(app, print);
  return app;
});

/** Serves the control API and dashboard beside the example until the scheduler stops. */
function serveDashboard(app: App, print: (line: string) => void): void {
  serveControl(app, { port: Number(process.env.APOGEE_PORT ?? 4400) }).then(
    (control) => {
      print(`Dashboard: ${control.url}/ (the control API answers at the same address)`);
      const subscription = app.events.subscribe((event) => {
        if (event.type !== 'schedulerStopped') return;
        subscription.unsubscribe();
        void control.close();
      });
    },
    (error: unknown) => {
      print(`The dashboard could not start (${messageOf(error)}); set APOGEE_PORT to another port.`);
    },
  );
}
