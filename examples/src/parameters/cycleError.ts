/**
 * The cycle error: parameters that need each other cannot be computed. Apogee reports the
 * chain as a `ParameterCycleError` on the run (recorded `run` then `fail`) instead of
 * overflowing the stack, and the scheduler goes on.
 */
import { App, Arg, every, Param, Task, type SchedulerEvent } from '@apogee/core';
import { runMain } from '../runMain';
import { messageOf } from '../messageOf';

export class Tangled {
  @Param('price')
  price(@Arg('tax') tax: number): number {
    return 100 + tax;
  }

  @Param('tax')
  tax(@Arg('price') price: number): number {
    return price * 0.24;
  }

  @Task(every('1 minute'))
  invoice(@Arg('price') price: number): number {
    return price;
  }
}

export function createApp(print: (line: string) => void): App {
  const app = new App({ tasks: [Tangled] });
  app.events.subscribe((event: SchedulerEvent) => {
    if (event.type === 'taskFailed')
      print(`${event.taskName} failed: ${messageOf(event.error).split('\n')[0] ?? ''}`);
  });
  return app;
}

runMain(module, createApp);
