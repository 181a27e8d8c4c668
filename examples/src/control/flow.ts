/**
 * The whole "a user requests a task with parameters" flow in one program: start the app with
 * its control API, trigger a run with parameters through the apogee command (its `main`, as the
 * binary would run it), and print the events as they happen.
 *
 *   pnpm --filter @apogee/examples exec tsx src/control/flow.ts
 */
import { main } from '@apogee/cli';
import type { App } from '@apogee/core';
import { serveControl } from '@apogee/http';
import { filter, firstValueFrom } from 'rxjs';
import app from './app';
import { messageOf } from '../messageOf';

/** Runs the flow against `target`, printing each step; resolves once the triggered run succeeded. */
export async function flow(target: App, print: (line: string) => void): Promise<void> {
  const control = await serveControl(target, { port: 0 });
  print(`control API on ${control.url}`);
  const subscription = target.events.subscribe((event) => {
    if (event.type === 'taskSucceeded')
      print(`event: ${event.taskName} succeeded with ${JSON.stringify(event.returnValue)}`);
    if (event.type === 'taskFailed') print(`event: ${event.taskName} failed: ${messageOf(event.error)}`);
  });
  const running = target.run({ handleSignals: false });
  const reported = firstValueFrom(
    target.events.pipe(filter((e) => e.type === 'taskSucceeded' && e.taskName === 'report')),
  );
  const io = {
    out: (line: string) => {
      print(`$ ${line}`);
    },
    err: (line: string) => {
      print(`! ${line}`);
    },
  };
  print('> apogee trigger report --param user=ada --param format=csv');
  await main(['trigger', 'report', '--param', 'user=ada', '--param', 'format=csv', '--url', control.url], io);
  await reported;
  print('> apogee logs report');
  await main(['logs', 'report', '--url', control.url], io);
  subscription.unsubscribe();
  await target.shutdown();
  await running;
  await control.close();
}

if (require.main === module) {
  flow(app, (line) => {
    console.log(line);
  }).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
