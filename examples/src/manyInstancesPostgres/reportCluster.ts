/**
 * Three instances of one reporting app share a PostgreSQL, and no Redis. One leads (postgres()
 * elects it) and runs `report` every second in its own process; the others stand by. The demo
 * then kills the leader (SIGKILL): another instance takes over within the lease (2 s here) plus
 * a renewal, restores the shared history, and goes on, without running any second twice and
 * without running the `daily` task again.
 *
 *   pnpm --filter @apogee/examples exec tsx src/manyInstancesPostgres/reportCluster.ts
 *
 * uses `DATABASE_URL` when set, else starts a throwaway PostgreSQL (initdb in a temp dir).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { App, cron, daily } from '@apogee/core';
import { postgres } from '@apogee/postgres';
import { postgresBinDir, startPostgres } from '@apogee/test-utils';

/** One instance: the app, printing what it leads and runs. */
async function instance(url: string): Promise<void> {
  const app = new App({ ...postgres({ url, name: 'reports', leaseTtl: '2 seconds' }) });
  app.task({ name: 'report', start: cron('* * * * * *') }, () => process.pid);
  app.task({ name: 'cleanup', start: daily }, () => process.pid);
  app.events.subscribe((event) => {
    if (event.type === 'leadershipAcquired') console.log(`instance ${String(process.pid)} leads`);
    // Every instance sees every run of the cluster (a follower's events come from the shared
    // log); the one that leads reports them.
    if (event.type === 'taskSucceeded' && app.isLeader)
      console.log(`${event.taskName} ran on pid ${String(event.returnValue)}`);
  });
  console.log(`instance ${String(process.pid)} started`);
  await app.run();
}

/**
 * Starts PostgreSQL (unless `DATABASE_URL` is set) and three instances; after the first leader
 * has run three reports it is killed, and once another has run three the demo stops everything.
 * Resolves with one line saying why nothing ran when no PostgreSQL is available; rejects, after
 * stopping everything, when the demo does not finish within `deadlineMs`.
 */
export async function runCluster(
  print: (line: string) => void = console.log,
  deadlineMs = 120_000,
): Promise<void> {
  const fromEnv = process.env.DATABASE_URL;
  if ((fromEnv === undefined || fromEnv === '') && postgresBinDir() === undefined) {
    print('PostgreSQL is not installed and DATABASE_URL is not set: nothing to run.');
    return;
  }
  const server = fromEnv === undefined || fromEnv === '' ? await startPostgres() : undefined;
  const url = server?.url ?? fromEnv ?? '';
  const children = [1, 2, 3].map(() =>
    spawn(process.execPath, ['--import', 'tsx', __filename, 'instance', url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const reports = new Map<string, number>();
      let killed: string | undefined;
      for (const child of children) {
        createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
          print(line);
          const pid = /^report ran on pid (\d+)$/.exec(line)?.[1];
          if (pid === undefined) return;
          reports.set(pid, (reports.get(pid) ?? 0) + 1);
          if (killed === undefined && reports.get(pid) === 3) {
            killed = pid;
            print(`killing the leader ${pid}`);
            children.find((c) => String(c.pid) === pid)?.kill('SIGKILL');
          } else if (killed !== undefined && pid !== killed && reports.get(pid) === 3) {
            print('the new leader goes on');
            resolve();
          }
        });
      }
      timer = setTimeout(() => {
        reject(new Error(`the takeover was not seen within ${String(deadlineMs)} ms`));
      }, deadlineMs);
    });
  } finally {
    clearTimeout(timer);
    await Promise.all(children.map(stop));
    await server?.stop();
  }
}

/** Stops one instance gracefully (SIGTERM), or hard when it has not exited 10 s later. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

if (require.main === module) {
  const [mode, url] = process.argv.slice(2);
  const main = mode === 'instance' && url !== undefined ? instance(url) : runCluster();
  main.catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
