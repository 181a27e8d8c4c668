/**
 * A CPU-heavy task on a worker thread. It keeps its thread busy for three seconds, while the
 * `every('1 second')` heartbeat on the main event loop keeps its rhythm. With execution
 * 'async' the same loop would hold the heartbeat back until it finished.
 */
import { App, Arg, every, Task } from '@apogee/core';
import { runMain } from '../runMain';

function isPrime(n: number): boolean {
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return n > 1;
}

export class Crunch {
  /** Counts primes for `seconds` of solid CPU work: it blocks its thread, and only its thread. */
  @Task({ start: 'every 1 minute', execution: 'thread' })
  primes(@Arg('seconds', 3) seconds: number): number {
    const until = Date.now() + seconds * 1000;
    let found = 0;
    for (let n = 2; Date.now() < until; n++) if (isPrime(n)) found++;
    return found;
  }
}

export function createApp(print: (line: string) => void): App {
  const app = new App({ tasks: [Crunch] });
  let previous: number | undefined;
  app.task({ name: 'heartbeat', start: every('1 second') }, () => {
    const now = Date.now();
    print(
      previous === undefined ? 'heartbeat' : `heartbeat, ${String(now - previous)} ms after the last one`,
    );
    previous = now;
  });
  app.events.subscribe((event) => {
    if (event.type === 'taskStarted' && event.taskName === 'primes')
      print('primes: crunching on a worker thread');
    if (event.type === 'taskSucceeded' && event.taskName === 'primes')
      print(`primes: found ${String(event.returnValue)}`);
  });
  return app;
}

runMain(module, createApp);
