/**
 * Three instances of one billing app share a Redis. One leads: it decides when invoices run and
 * queues them as BullMQ jobs; every instance's worker takes jobs, so the invoices spread over the
 * three processes. A follow-up task on the leader reads each result through `@Return`.
 *
 *   pnpm --filter @apogee/examples exec tsx src/manyInstances/billingCluster.ts
 *
 * starts a local `redis-server` (or uses `REDIS_URL`) and the three instances, queues six
 * invoices, prints where each ran, and stops everything.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterSuccess, App, Arg, ManualLeadership, Return, Task } from '@apogee/core';
import { bullmq } from '@apogee/bullmq';
import { localRedis } from './localRedis';

export class Billing {
  /** Runs on whichever instance's worker takes the job. */
  @Task({ execution: 'queue', multilaunch: true })
  async invoice(@Arg('customer') customer: string): Promise<{ customer: string; pid: number }> {
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { customer, pid: process.pid };
  }

  /** Queued after each invoice; its argument comes from the invoice's return value. */
  @Task({ execution: 'queue', start: afterSuccess('invoice') })
  receipt(@Return('invoice') last: { customer: string; pid: number }): string {
    return `receipt for ${last.customer} (invoiced on pid ${String(last.pid)}, filed on pid ${String(process.pid)})`;
  }
}

/** One instance. `leader`: it schedules (the redis() lease decides this in production). */
export function createApp(url: string, leader: boolean): App {
  return new App({
    tasks: [Billing],
    leadership: new ManualLeadership(leader),
    ...bullmq({ url, name: 'billing-example', concurrency: 1 }),
  });
}

const CUSTOMERS = ['ada', 'alan', 'grace', 'edsger', 'barbara', 'donald'];

/** The customer of the invoice that succeeded last. */
const lastCustomer = (app: App): string =>
  (app.session.returns.get('invoice') as { customer: string } | undefined)?.customer ?? '';

/** What one instance process does: run the app; the leader queues the invoices and reports them. */
async function instance(url: string, leader: boolean): Promise<void> {
  const app = createApp(url, leader);
  let invoiced = 0;
  app.events.subscribe((event) => {
    if (event.type === 'schedulerStarted' && leader)
      for (const customer of CUSTOMERS) app.session.get('invoice').run({ customer });
    if (event.type !== 'taskSucceeded') return;
    if (event.taskName === 'invoice') {
      const { customer, pid } = event.returnValue as { customer: string; pid: number };
      console.log(`invoice for ${customer} ran on pid ${String(pid)}`);
      invoiced++;
    } else if (event.taskName === 'receipt') {
      console.log(String(event.returnValue));
      // afterSuccess starts a receipt after the last invoice too: that one ends the demo.
      if (invoiced === CUSTOMERS.length && String(event.returnValue).includes(lastCustomer(app)))
        console.log('all invoices done');
    }
  });
  console.log(`instance ${String(process.pid)} started (${leader ? 'leader' : 'standby'})`);
  await app.run();
}

/**
 * Starts Redis and three instances, prints their output until the leader reports all invoices
 * done, then shuts them down gracefully (SIGTERM). Resolves with the lines printed, or with one
 * line saying why nothing ran when no Redis is available.
 */
export async function runCluster(print: (line: string) => void = console.log): Promise<void> {
  const redis = await localRedis();
  if (redis === undefined) {
    print('redis-server is not installed and REDIS_URL is not set: nothing to run.');
    return;
  }
  try {
    const children = [true, false, false].map((leader) =>
      spawn(
        process.execPath,
        ['--import', 'tsx', __filename, 'instance', redis.url, leader ? 'leader' : 'standby'],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      ),
    );
    const allDone = new Promise<void>((resolve) => {
      for (const child of children)
        createInterface({ input: child.stdout }).on('line', (line) => {
          print(line);
          if (line === 'all invoices done') resolve();
        });
    });
    await allDone;
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            child.once('exit', resolve);
            child.kill('SIGTERM');
          }),
      ),
    );
  } finally {
    await redis.stop();
  }
}

if (require.main === module) {
  const [mode, url, role] = process.argv.slice(2);
  const main = mode === 'instance' && url !== undefined ? instance(url, role === 'leader') : runCluster();
  main.catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
