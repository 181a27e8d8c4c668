import { join } from 'node:path';
import { expectDeadProcessRunSwept, startPostgres, type PostgresServer } from '@apogee/test-utils';
import { postgres } from './postgres';

jest.setTimeout(180_000);

let server: PostgresServer;

beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server.stop();
});

it('the leader records crash for a run a dead replica left open, within a few renewals, without a takeover', async () => {
  const env = { DATABASE_URL: server.url, APP_NAME: 'sweep', LEASE_TTL: '2 seconds' };
  await expectDeadProcessRunSwept({
    parts: postgres({ url: server.url, name: 'sweep', leaseTtl: '2 seconds' }),
    replica: join(__dirname, 'fixtures', 'startupRun.cjs'),
    env,
  });
});
