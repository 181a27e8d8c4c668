import { QueueFullError } from '@apogee/core';
import { serveControl } from '@apogee/http';
import {
  expectFollowersBoundRuns,
  startPostgres,
  warningLogger,
  type PostgresServer,
} from '@apogee/test-utils';
import pg from 'pg';
import { postgres } from './postgres';

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.stop();
});

describe('maxBatches on replicas that do not lead (PostgreSQL)', () => {
  it('two followers taking POST /tasks/:name/run at once accept exactly maxBatches and answer 429 beyond, as the leader does', async () => {
    // A lease long enough that a loaded machine's pauses never move the leadership mid-test.
    await expectFollowersBoundRuns({
      parts: () => postgres({ url: server.url, name: 'bound', leaseTtl: '10 seconds' }),
      serve: (app) => serveControl(app, { port: 0 }),
    });
  }, 120_000);

  it('reads a negative stored count as 0, with a warning naming its row, and bounds by the rest', async () => {
    const parts = postgres({ url: server.url, name: 'hostile' });
    const { logger, warnings } = warningLogger();
    parts.log.useLogger?.(logger);
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const run = (runId: string) =>
        parts.relay.forward({ kind: 'run', taskName: 'job', params: {}, runId, maxBatches: 2 });
      await run('a');
      await client.query(`INSERT INTO apogee.waiting (app, task, count) VALUES ('hostile', 'job', -5)`);
      await run('b');
      await expect(run('c')).rejects.toBeInstanceOf(QueueFullError);
      expect(warnings.some((w) => w.includes('"apogee".waiting (app "hostile", task "job")'))).toBe(true);
      const { rows } = await client.query(`SELECT task FROM apogee.requests WHERE app = 'hostile'`);
      expect(rows).toEqual([{ task: 'job' }, { task: 'job' }]);
    } finally {
      await client.end();
      await parts.log.release?.();
    }
  }, 60_000);
});
