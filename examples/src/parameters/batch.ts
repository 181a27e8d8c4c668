/**
 * Batch parameters: `task.run({ ... })` queues one run with its own values, the highest level.
 * Runs are consumed oldest first; a task with no batch runs with its other levels.
 */
import { App, Arg, never, Task } from '@apogee/core';
import { runMain } from '../runMain';

export class Greetings {
  constructor(private readonly print: (line: string) => void) {}

  @Task(never)
  greet(@Arg('name', 'world') name: string): void {
    this.print(`hello ${name}`);
  }
}

export function createApp(print: (line: string) => void): App {
  const app = new App();
  app.container.register(Greetings, { useValue: new Greetings(print) });
  app.register(Greetings);
  const greet = app.session.get('greet');
  greet.run({ name: 'Ada' });
  greet.run({ name: 'Grace' });
  greet.run(); // no batch value: the function-level fallback 'world'
  return app;
}

runMain(module, createApp);
