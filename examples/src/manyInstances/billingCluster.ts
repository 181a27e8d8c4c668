/**
 * Three instances of one billing app share a Redis. One leads (redis() elects it): it decides
 * when invoices run and queues them as BullMQ jobs; every instance's worker takes jobs, so the invoices spread over the
 * three processes. A follow-up task on the leader reads each result through `@Return`.
 *
 *   pnpm --filter @apogee/examples exec tsx src/manyInstances/billingCluster.ts
 *
 * starts a local `redis-server` (or uses `REDIS_URL`) and the three instances, queues six
 * invoices, prints where each ran, and stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createApp } from './billingApp';
import { localRedis } from './localRedis';

const CUSTOMERS = ['ada', 'alan', 'grace', 'edsger', 'barbara', 'donald'];

/** What one instance process does: run the app; the one that leads queues the invoices and reports them. */
async function instance(url: string): Promise<void> {
  const app = createApp(url);
  let invoiced = 0;
  app.events.subscribe((event) => {
    if (event.type === 'leadershipAcquired') {
      console.log(`instance ${String(process.pid)} leads`);
      for (const customer of CUSTOMERS) app.session.get('invoice').run({ customer });
    }
    // Every instance sees every run of the cluster (a follower's events come from the shared
    // log); the one that leads reports them.
    if (event.type !== 'taskSucceeded' || !app.isLeader) return;
    if (event.taskName === 'invoice') {
      const { customer, pid } = event.returnValue as { customer: string; pid: number };
      console.log(`invoice for ${customer} ran on pid ${String(pid)}`);
      invoiced++;
    } else if (event.taskName === 'receipt') {
      console.log(String(event.returnValue));
      // The first receipt to end after the last invoice ends the demo: either it was queued
      // before that invoice ended (and, counted from its start on a worker, took its place), or
      // afterSuccess started it for that invoice (see README, Queue execution: afterSuccess).
      if (invoiced === CUSTOMERS.length) console.log('all invoices done');
    }
  });
  console.log(`instance ${String(process.pid)} started`);
  await app.run();
}

/**
 * Starts Redis and three instances, prints their output until the leader reports all invoices
 * done, then shuts them down gracefully (SIGTERM). Resolves once they have stopped, or with one
 * line saying why nothing ran when no Redis is available. Rejects, after stopping everything,
 * when the demo does not finish within `deadlineMs` or every instance exited first.
 */
export async function runCluster(
  print: (line: string) => void = console.log,
  deadlineMs = 120_000,
): Promise<void> {
  const redisServer = await localRedis();
  if (redisServer === undefined) {
    print('redis-server is not installed and REDIS_URL is not set: nothing to run.');
    return;
  }
  const children = [1, 2, 3].map(() =>
    spawn(process.execPath, ['--import', 'tsx', __filename, 'instance', redisServer.url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      let exited = 0;
      for (const child of children) {
        createInterface({ input: child.stdout }).on('line', (line) => {
          print(line);
          if (line === 'all invoices done') resolve();
        });
        child.once('exit', (code, signal) => {
          if (++exited === children.length)
            reject(
              new Error(
                `every instance exited before the invoices were done (last: ${String(code ?? signal)})`,
              ),
            );
        });
      }
      timer = setTimeout(() => {
        reject(new Error(`the invoices were not done within ${String(deadlineMs)} ms`));
      }, deadlineMs);
    });
  } finally {
    clearTimeout(timer);
    await Promise.all(children.map(stop));
    await redisServer.stop();
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
