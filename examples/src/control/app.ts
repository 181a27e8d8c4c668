/**
 * The handbook's central use case, built in: "set a task running with other parameters when a
 * user requests it, while the scheduler is running". Start it with its control API:
 *
 *   pnpm exec apogee run examples/src/control/app.ts
 *   pnpm exec apogee trigger report --param user=ada --param format=csv
 *   pnpm exec apogee logs report --follow
 */
import { App, Arg, every, never, Private, Task } from '@apogee/core';

export class Reports {
  @Task(never)
  report(
    @Arg('user') user: string,
    @Arg('format', 'pdf') format: string,
    @Arg('smtp_password') password: string,
  ): string {
    return `report for ${user} as ${format} (mailed with a ${String(password.length)}-character password)`;
  }

  @Task(every('1 minute'))
  heartbeat(): string {
    return 'alive';
  }
}

const app = new App({
  tasks: [Reports],
  params: { smtp_password: new Private('correct horse battery staple') },
});
export default app;
