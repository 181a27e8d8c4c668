// Compiled with tsc, run with node: persistence in SQLite and a run queued through the control API.
import { afterAllFinish, App } from '@apogee/core';
import { serveControl } from '@apogee/http';
import { SqliteRunLog } from '@apogee/sqlite';
import { Jobs } from './jobs';

async function main(file: string): Promise<void> {
  const app = new App({
    tasks: [Jobs],
    params: { n: 7 },
    log: new SqliteRunLog(file),
    config: { shutdownWhen: afterAllFinish('report', 'square') },
  });
  const done = app.run();
  const control = await serveControl(app, { port: 0 });
  const response = await fetch(`${control.url}/tasks/report/run`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: 'ada' }),
  });
  console.log(`POST /tasks/report/run: ${response.status}`);
  // The dashboard, as installed: the page and the chart library it serves from its dependency.
  const page = await fetch(`${control.url}/`, { headers: { accept: 'text/html' } });
  const chart = await fetch(`${control.url}/dashboard/vendor/uPlot.esm.js`);
  console.log(`dashboard: ${page.status} ${page.headers.get('content-type') ?? ''}, chart ${chart.status}`);
  app.session.get('square').run();
  await done;
  await control.close();
  // A second log on the same file: what the first app wrote is there.
  const reopened = new SqliteRunLog(file);
  for (const record of await reopened.records({ action: 'success' }))
    console.log(`saved ${record.taskName}: ${String(record.returnValue)}`);
  reopened.close();
}

main(process.argv[2] ?? 'runs.db').catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
