/**
 * A small data pipeline to look at in the dashboard: a fetch every ten minutes and the steps after it, a nightly backup once the night's load is in,
 * a CRM sync that fails every third time, a report run on request with parameters, an index
 * rebuild that takes a while. Start it and open the printed address in a browser:
 *
 *   pnpm exec apogee run examples/src/control/dashboard.ts    # dashboard on http://127.0.0.1:7070/
 *
 * `pnpm screenshots` starts it too, to photograph the dashboard for the README.
 */
import {
  afterSuccess,
  RunLogger,
  type RunLoggerFn,
  all,
  App,
  Arg,
  daily,
  every,
  never,
  Private,
  Progress,
  Signal,
  type RunLog,
} from '@apogee/core';

/** Resolves after `ms`, or when the run is terminated. */
const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const stop = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', stop);
      resolve();
    }, ms);
    signal.addEventListener('abort', stop, { once: true });
  });

/** Turns the fetched orders into warehouse rows, saying what it did in the run's own output. */
export function transform(log: RunLoggerFn): { rows: number } {
  log.info('read 42 orders from the staging table');
  log.info('normalised currencies', { from: ['EUR', 'USD', 'SEK'], to: 'EUR' });
  log.warn('2 orders without a customer id: skipped');
  log.info('wrote 40 rows to the load table');
  return { rows: 40 };
}

export function createApp(print: (line: string) => void = console.log, log?: RunLog): App {
  const app = new App({
    params: { warehouse_password: new Private('correct horse battery staple') },
    ...(log === undefined ? {} : { log }),
  });
  let syncs = 0;
  app.task({ name: 'fetch_orders', start: every('10 minutes') }, () => ({ orders: 42 }));
  // What it writes through RunLogger() is kept as the run's output (the dashboard's run detail).
  app.task({ name: 'transform', start: afterSuccess('fetch_orders'), inject: [RunLogger()] }, transform);
  app.task(
    { name: 'load_warehouse', start: afterSuccess('transform'), inject: [Arg('warehouse_password')] },
    (password: string) => `loaded 40 rows (authenticated with ${String(password.length)} characters)`,
  );
  app.task({ name: 'sync_crm', start: every('5 minutes') }, () => {
    syncs++;
    if (syncs % 3 === 0) throw new Error('CRM answered 503 Service Unavailable');
    return { contacts: 1200 };
  });
  app.task(
    { name: 'nightly_backup', start: all(daily.between('02:00', '04:00'), afterSuccess('load_warehouse')) },
    () => 'backup-2026.tar.zst',
  );
  app.task(
    { name: 'send_report', start: never, inject: [Arg('recipient'), Arg('format', 'pdf')] },
    (recipient: string, format: string) => {
      print(`report sent to ${recipient} as ${format}`);
      return { recipient, format };
    },
  );
  app.task(
    { name: 'rebuild_index', start: never, inject: [Signal(), Progress()] },
    async (signal: AbortSignal, progress: (fraction: number, message?: string) => void) => {
      const shards = 60;
      for (let shard = 1; shard <= shards && !signal.aborted; shard++) {
        await pause(1000, signal);
        progress(shard / shards, `shard ${String(shard)} of ${String(shards)}`);
      }
      return 'index rebuilt';
    },
  );
  return app;
}

export default createApp();
