// An ES module with top-level await; `apogee run dist/app.js` loads it, and so do its workers.
import 'reflect-metadata';
import { afterAllFinish, App, Arg, Task } from '@apogee/core';
import { injectable } from 'tsyringe';

const factor = await Promise.resolve(3);

@injectable()
export class Multiplier {
  times(n: number): number {
    return n * factor;
  }
}

@injectable()
export class Jobs {
  constructor(private readonly multiplier: Multiplier) {}

  @Task({ execution: 'thread' })
  inThread(@Arg('n') n: number): string {
    return `thread ${this.multiplier.times(n)}`;
  }

  @Task({ execution: 'process' })
  inProcess(@Arg('n') n: number): string {
    return `process ${this.multiplier.times(n + 1)}`;
  }
}

const app = new App({
  tasks: [Jobs],
  params: { n: 5 },
  config: { shutdownWhen: afterAllFinish('inThread', 'inProcess') },
});
app.events.subscribe((event) => {
  if (event.type === 'taskSucceeded') console.log(`${event.taskName}: ${String(event.returnValue)}`);
  if (event.type === 'taskFailed') console.log(`${event.taskName} failed: ${String(event.error)}`);
});
for (const task of app.session.tasks) task.run();
export default app;
