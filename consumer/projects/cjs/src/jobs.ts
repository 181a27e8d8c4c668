import 'reflect-metadata';
import { Arg, Task } from '@apogee/core';
import { injectable } from 'tsyringe';

@injectable()
export class Greeter {
  greet(user: string): string {
    return `hello ${user}`;
  }
}

/** Constructor injection with no token: it needs the metadata tsc emits. */
@injectable()
export class Jobs {
  constructor(private readonly greeter: Greeter) {}

  @Task()
  report(@Arg('user') user: string): string {
    return this.greeter.greet(user);
  }

  @Task({ execution: 'thread' })
  square(@Arg('n') n: number): string {
    return `${this.greeter.greet('thread')} ${n * n}`;
  }
}
