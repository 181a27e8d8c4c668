/**
 * One process of the queue bench (`queueSection.ts` starts them): `node dist/queueProcess.js
 * <role> <url> <name> [n|seconds] [concurrency]`. Roles:
 * - `apogee-worker`: an instance of the bench app that only executes (it does not lead);
 * - `apogee-throughput`: the leader (no worker of its own): queues n no-op runs, prints runs/s;
 * - `apogee-cron`: the leader, with a queue task due every second, for `seconds`;
 * - `bullmq-worker`: a plain BullMQ worker with a no-op processor;
 * - `bullmq-throughput`: adds n jobs one by one, prints jobs/s once all completed;
 * - `bullmq-cron`: `upsertJobScheduler` with the same every-second pattern, for `seconds`.
 * Workers print `delay <ms>` for each every-second run: its start minus the second it was due.
 */
import 'reflect-metadata';
import { App, cron, ManualLeadership } from '@apogee/core';
import { bullmq } from '@apogee/bullmq';
import { Queue, QueueEvents, Worker } from 'bullmq';

const [role = '', url = '', name = '', amount = '1000', concurrency = '4'] = process.argv.slice(2);
const port = Number(new URL(url).port);
const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const EVERY_SECOND = '* * * * * *';

/** Start minus the whole second it was due at (each run is due on a second boundary). */
const delayNow = (): number => {
  const now = Date.now();
  return now - Math.floor(now / 1000) * 1000;
};

/**
 * A leader's figures for `n` runs measured from `started` (`performance.now()`): runs per second,
 * and its own CPU time per run in microseconds (robust where wall-clock rates are noisy).
 */
const figures = (
  n: number,
  started: number,
  cpu: NodeJS.CpuUsage,
): { perSecond: number; cpuMicrosPerRun: number } => {
  const used = process.cpuUsage(cpu);
  return {
    perSecond: (n / (performance.now() - started)) * 1000,
    cpuMicrosPerRun: (used.user + used.system) / n,
  };
};

function apogeeApp(leader: boolean, workers: number): App {
  const app = new App({
    leadership: new ManualLeadership(leader),
    config: { maxBatches: 1_000_000 },
    ...bullmq({ url, name, concurrency: workers }),
  });
  app.task({ name: 'noop', execution: 'queue', multilaunch: true }, () => undefined);
  app.task(
    { name: 'tick', execution: 'queue', start: role === 'apogee-cron' ? cron(EVERY_SECOND) : undefined },
    () => {
      console.log(`delay ${String(delayNow())}`);
    },
  );
  return app;
}

async function main(): Promise<void> {
  switch (role) {
    case 'apogee-worker': {
      const app = apogeeApp(false, Number(concurrency));
      app.events.subscribe((e) => {
        if (e.type === 'schedulerStarted') console.log('ready');
      });
      await app.run();
      return;
    }
    case 'apogee-throughput': {
      const n = Number(amount);
      const app = apogeeApp(true, 0);
      let done = 0;
      let started = 0;
      let cpu = process.cpuUsage();
      const finished = new Promise<void>((resolve) => {
        app.events.subscribe((e) => {
          if (e.type === 'schedulerStarted') {
            started = performance.now();
            cpu = process.cpuUsage();
            const task = app.session.get('noop');
            for (let i = 0; i < n; i++) task.run();
          }
          if (e.type === 'taskSucceeded' && ++done === n) resolve();
        });
      });
      const running = app.run({ handleSignals: false });
      await finished;
      console.log(JSON.stringify(figures(n, started, cpu)));
      await app.shutdown();
      await running;
      return;
    }
    case 'apogee-cron': {
      const app = apogeeApp(true, 0);
      const running = app.run({ handleSignals: false });
      await new Promise((resolve) => setTimeout(resolve, Number(amount) * 1000));
      await app.shutdown();
      await running;
      console.log('{}');
      return;
    }
    case 'bullmq-worker': {
      const worker = new Worker(
        name,
        (job) => {
          if (job.name === 'tick') console.log(`delay ${String(delayNow())}`);
          return Promise.resolve();
        },
        { connection, concurrency: Number(concurrency) },
      );
      await worker.waitUntilReady();
      console.log('ready');
      process.once('SIGTERM', () => {
        void worker.close().then(() => process.exit(0));
      });
      return;
    }
    case 'bullmq-throughput': {
      const n = Number(amount);
      const queue = new Queue(name, { connection, streams: { events: { maxLen: 200_000 } } });
      const events = new QueueEvents(name, { connection });
      await events.waitUntilReady();
      // Ready is not yet reading: a first job whose completion is heard proves the events flow.
      const probe = new Promise<void>((resolve) => {
        events.once('completed', () => {
          resolve();
        });
      });
      for (let heard = false; !heard;) {
        await queue.add('probe', {}, { removeOnComplete: true });
        heard = await Promise.race([
          probe.then(() => true),
          new Promise<boolean>((r) =>
            setTimeout(() => {
              r(false);
            }, 200),
          ),
        ]);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
      let done = 0;
      const finished = new Promise<void>((resolve) => {
        events.on('completed', () => {
          if (++done === n) resolve();
        });
      });
      const started = performance.now();
      const cpu = process.cpuUsage();
      for (let i = 0; i < n; i++) void queue.add('noop', {}, { removeOnComplete: true });
      await finished;
      console.log(JSON.stringify(figures(n, started, cpu)));
      await Promise.all([queue.close(), events.close()]);
      return;
    }
    case 'bullmq-cron': {
      const queue = new Queue(name, { connection });
      await queue.upsertJobScheduler(
        'tick',
        { pattern: EVERY_SECOND },
        { name: 'tick', opts: { removeOnComplete: true } },
      );
      await new Promise((resolve) => setTimeout(resolve, Number(amount) * 1000));
      await queue.removeJobScheduler('tick');
      await queue.close();
      console.log('{}');
      return;
    }
    default:
      throw new Error(`queueProcess: unknown role ${role}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
