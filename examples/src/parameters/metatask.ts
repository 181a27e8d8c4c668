/**
 * A metatask: a `main` task that checks for requests every minute and sets another task
 * running with the request's parameters. (The HTTP control API makes this built in.)
 */
import { App, Arg, CurrentSession, every, never, Task, type Session } from '@apogee/core';
import { runMain } from '../runMain';

/** Stands in for a queue of user requests (a database table, a message queue...). */
export class RequestInbox {
  readonly pending: { user: string; format: string }[] = [];
}

export class Reports {
  constructor(
    private readonly inbox: RequestInbox,
    private readonly print: (line: string) => void,
  ) {}

  @Task(every('1 minute'), { execution: 'main' })
  dispatch(@CurrentSession() session: Session): void {
    for (
      let request = this.inbox.pending.shift();
      request !== undefined;
      request = this.inbox.pending.shift()
    ) {
      session.get('report').run(request);
    }
  }

  @Task(never)
  report(@Arg('user') user: string, @Arg('format', 'pdf') format: string): string {
    this.print(`report for ${user} as ${format}`);
    return `${user}.${format}`;
  }
}

export function createApp(print: (line: string) => void, inbox = new RequestInbox()): App {
  const app = new App();
  app.container.register(Reports, { useValue: new Reports(inbox, print) });
  return app.register(Reports);
}

runMain(module, (print) => {
  const inbox = new RequestInbox();
  inbox.pending.push({ user: 'ada', format: 'csv' }, { user: 'grace', format: 'pdf' });
  return createApp(print, inbox);
});
