// An ES module with top-level await; `apogee run src/app.ts` and `apogee run dist/app.js` load it,
// and workers load its task module, jobs.ts (imported the nodenext way, as ./jobs.js).
import { afterAllFinish, App } from '@apogee/core';
import { Jobs } from './jobs.js';

const n = await Promise.resolve(5);

const app = new App({
  tasks: [Jobs],
  params: { n },
  config: { shutdownWhen: afterAllFinish('inMain', 'inThread', 'inProcess') },
});
app.events.subscribe((event) => {
  if (event.type === 'taskSucceeded') console.log(`${event.taskName}: ${String(event.returnValue)}`);
  if (event.type === 'taskFailed') console.log(`${event.taskName} failed: ${String(event.error)}`);
});
for (const task of app.session.tasks) task.run();
export default app;
