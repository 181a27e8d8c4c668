/**
 * Parameters in a custom condition: `@Cond` methods take bound arguments first
 * (`cond('disk above', 80)`), then decorated parameters resolved like a task's.
 */
import { App, Arg, Cond, cond, every, Task } from '@apogee/core';
import { runMain } from '../runMain';

/** Stands in for a real disk probe. */
export class Disk {
  usage = 50;
}

export class Cleanup {
  constructor(
    private readonly disk: Disk,
    private readonly print: (line: string) => void,
  ) {}

  @Cond('disk above', { poll: '10 seconds' })
  diskAbove(threshold: number, @Arg('mount') mount: string): boolean {
    return mount === '/data' && this.disk.usage > threshold;
  }

  @Task(cond('disk above', 80).and(every('5 minutes')))
  purge(@Arg('mount') mount: string): void {
    this.disk.usage = 40;
    this.print(`purged old files on ${mount}`);
  }
}

export function createApp(print: (line: string) => void, disk = new Disk()): App {
  const app = new App({ params: { mount: '/data' } });
  app.container.register(Cleanup, { useValue: new Cleanup(disk, print) });
  return app.register(Cleanup);
}

runMain(module, (print) => {
  const disk = new Disk();
  setInterval(() => (disk.usage += 10), 5000).unref();
  return createApp(print, disk);
});
