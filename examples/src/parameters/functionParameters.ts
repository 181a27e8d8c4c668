/**
 * Function parameters: the fallback given to `@Arg(key, fallback)`. It may be an argument, so
 * a task can default to another task's return value and still be overridden per run.
 */
import { afterSuccess, App, Arg, every, ReturnArg, Task } from '@apogee/core';
import { runMain } from '../runMain';

export class Pipeline {
  private n = 0;
  constructor(private readonly print: (line: string) => void) {}

  @Task(every('30 seconds'))
  fetch(): number[] {
    this.n++;
    return [this.n, this.n * 10];
  }

  @Task(afterSuccess('fetch'))
  total(@Arg('rows', new ReturnArg('fetch')) rows: number[], @Arg('scale', 1) scale: number): number {
    const sum = rows.reduce((a, b) => a + b, 0) * scale;
    this.print(`total ${sum}`);
    return sum;
  }
}

export function createApp(print: (line: string) => void): App {
  const app = new App();
  app.container.register(Pipeline, { useValue: new Pipeline(print) });
  return app.register(Pipeline);
}

runMain(module, createApp);
