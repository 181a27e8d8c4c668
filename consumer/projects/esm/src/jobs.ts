// Task classes in their own module: workers load it with require(), which cannot load a module
// with top-level await (app.ts has one).
import 'reflect-metadata';
import { Arg, Task } from '@apogee/core';
import { injectable } from 'tsyringe';

@injectable()
export class Multiplier {
  times(n: number): number {
    return n * 3;
  }
}

/** Constructor injection with no token: it needs decorator metadata, from tsc or from apogee run. */
@injectable()
export class Jobs {
  constructor(private readonly multiplier: Multiplier) {}

  @Task()
  inMain(@Arg('n') n: number): string {
    return `main ${this.multiplier.times(n - 1)}`;
  }

  @Task({ execution: 'thread' })
  inThread(@Arg('n') n: number): string {
    return `thread ${this.multiplier.times(n)}`;
  }

  @Task({ execution: 'process' })
  inProcess(@Arg('n') n: number): string {
    return `process ${this.multiplier.times(n + 1)}`;
  }
}
