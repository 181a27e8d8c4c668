import { expectOutputKeptWithRecords, startPostgres, type PostgresServer } from '@apogee/test-utils';
import pg from 'pg';
import { postgres, type PostgresAppParts } from './postgres';

// A private PostgreSQL server: a loaded machine can take seconds.
jest.setTimeout(120_000);

let server: PostgresServer;
const opened: PostgresAppParts[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  for (const parts of opened) await parts.log.release?.();
  await server.stop();
});

let n = 0;
function open(perTask?: number): { log: PostgresAppParts['log']; name: string } {
  const name = `out${String(++n)}`;
  const parts = postgres({ url: server.url, name, retention: perTask === undefined ? {} : { perTask } });
  opened.push(parts);
  return { log: parts.log, name };
}

async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgresRunLog run output', () => {
  it("keeps each run's lines in order with their fields, and deletes them with the run's records", async () => {
    const { log, name } = open(4);
    await expectOutputKeptWithRecords(log);
    const rows = await sql<{ run_id: string; n: string }>(
      'SELECT run_id, COUNT(*) AS n FROM apogee.run_output WHERE app = $1 GROUP BY run_id ORDER BY run_id',
      [name],
    );
    expect(rows).toEqual([
      { run_id: 'o2', n: '3' },
      { run_id: 'o3', n: '3' },
    ]);
  });

  it('skips a line that is not one Apogee wrote, warning with its row, and reads the rest', async () => {
    const { log, name } = open();
    const warnings: string[] = [];
    const keep = (message: string): void => {
      warnings.push(message);
    };
    log.useLogger?.({ debug: keep, info: keep, warn: keep, error: keep });
    await log.appendOutput('r1', 't', [{ at: new Date(1), level: 'info', message: 'one' }]);
    const [bad] = await sql<{ id: string }>(
      `INSERT INTO apogee.run_output (app, run_id, line) VALUES ($1, 'r1', '{"at": 2, "level": "info", "message": 5}') RETURNING id`,
      [name],
    );
    await log.appendOutput('r1', 't', [
      { at: new Date(3), level: 'warn', message: 'three', fields: { a: [1] } },
    ]);
    expect(await log.output('r1')).toEqual([
      { at: new Date(1), level: 'info', message: 'one' },
      { at: new Date(3), level: 'warn', message: 'three', fields: { a: [1] } },
    ]);
    expect(warnings).toEqual([
      expect.stringContaining(
        `skipped an output line at "apogee".run_output id ${bad?.id ?? ''}: the value.message is a number, not a string`,
      ),
    ]);
  });
});
