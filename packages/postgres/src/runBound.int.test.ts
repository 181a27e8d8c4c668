import { App, QueueFullError } from '@apogee/core';
import { serveControl } from '@apogee/http';
import {
  expectFollowersBoundRuns,
  startPostgres,
  waitFor,
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

  it('a new leader rewrites the waiting counts from its own queue and drops the requests a former leader took', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const parts = postgres({ url: server.url, name: 'takeover', leaseTtl: '10 seconds' });
    // Migrates the schema before the rows below are written.
    await parts.relay.forward({ kind: 'terminate', taskName: 'job' });
    const entry = (runId: string) => JSON.stringify({ kind: 'run', taskName: 'job', params: {}, runId });
    // What a leader that died left: a stale count, a request it took and never finished, two on their way.
    await client.query(`INSERT INTO apogee.waiting (app, task, count) VALUES ('takeover', 'gone', 5)`);
    await client.query(
      `INSERT INTO apogee.requests (app, task, body, taken) VALUES
         ('takeover', 'job', $1, 'a-dead-token'), ('takeover', 'job', $2, NULL), ('takeover', 'job', $3, NULL)`,
      [entry('taken'), entry('r1'), entry('r2')],
    );
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const app = new App({ ...parts });
    app.task({ name: 'job', maxBatches: 10 }, () => held);
    const done = app.run({ handleSignals: false });
    try {
      // r1 runs (and holds), r2 waits; the taken one is lost with its leader, never run.
      await waitFor('both requests taken', () => app.session.get('job').batches.length === 1, 60_000);
      await waitFor('the counts rewritten', async () => {
        const waiting = await client.query(`SELECT task, count FROM apogee.waiting WHERE app = 'takeover'`);
        const left = await client.query(`SELECT 1 FROM apogee.requests WHERE app = 'takeover'`);
        return JSON.stringify(waiting.rows) === '[{"task":"job","count":1}]' && left.rows.length === 0;
      });
      const runs = await waitFor('the start recorded', async () => {
        const records = await app.logs.records({ taskName: 'job', action: 'run' });
        return records.length > 0 ? records : undefined;
      });
      expect(runs.map((r) => r.runId)).toEqual(['r1']);
      expect(app.session.get('job').batches).toHaveLength(1);
    } finally {
      release();
      await app.shutdown();
      await done;
      await app.logs.release?.();
      await client.end();
    }
  }, 90_000);
});
