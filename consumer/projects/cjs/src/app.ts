// What `apogee run src/app.ts` loads: TypeScript, through Apogee's hook.
import { afterAllFinish, App } from '@apogee/core';
import { Jobs } from './jobs';

export const app = new App({
  tasks: [Jobs],
  params: { n: 7 },
  config: { shutdownWhen: afterAllFinish('report', 'square') },
});
app.events.subscribe((event) => {
  if (event.type === 'taskSucceeded') console.log(`${event.taskName}: ${String(event.returnValue)}`);
  if (event.type === 'taskFailed') console.log(`${event.taskName} failed: ${String(event.error)}`);
});
app.session.get('report').run({ user: 'ada' });
app.session.get('square').run();
