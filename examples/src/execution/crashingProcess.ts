/**
 * A task in a child process that crashes. Its parser throws from a callback, after the task
 * has returned its promise: an uncaught exception, which would end the whole scheduler if the
 * task ran in its event loop. In a child process it ends only that process. The run is
 * recorded as `fail` with a `WorkerCrashError` (exit code and the error), a follow-up task
 * reacts, the heartbeat never misses a beat, and the next run gets a fresh process.
 */
import { afterFail, App, every, Task, WorkerCrashError } from '@apogee/core';
import { runMain } from '../runMain';

export class Importer {
  @Task({ start: 'every 2 seconds', execution: 'process' })
  importFeed(): Promise<number> {
    return new Promise((resolve) => {
      // A callback-style parser that throws instead of passing the error on.
      setImmediate(() => {
        const feed = JSON.parse('{"items": [1, 2') as { items: number[] };
        resolve(feed.items.length);
      });
    });
  }
}

export function createApp(print: (line: string) => void): App {
  const app = new App({ tasks: [Importer] });
  let beats = 0;
  app.task({ name: 'heartbeat', start: every('1 second') }, () => {
    print(`heartbeat ${String(++beats)}`);
  });
  app.task({ name: 'alert', start: afterFail('importFeed') }, () => {
    print('alert: importFeed failed, paging the on-call engineer');
  });
  app.events.subscribe((event) => {
    if (event.type === 'taskFailed' && event.error instanceof WorkerCrashError)
      print(
        `importFeed crashed its process (exit code ${String(event.error.exitCode)}): ${String((event.error.cause as Error | undefined)?.message)}`,
      );
  });
  return app;
}

runMain(module, createApp);
