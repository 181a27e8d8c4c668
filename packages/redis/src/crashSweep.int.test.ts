import { join } from 'node:path';
import { expectDeadProcessRunSwept, startRedisServer, type RedisServer } from '@apogee/test-utils';
import { redis } from './redis';

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

it('the leader records crash for a run a dead replica left open, within a few renewals, without a takeover', async () => {
  const env = { REDIS_URL: server.url, APP_NAME: 'sweep', LEASE_TTL: '2 seconds' };
  await expectDeadProcessRunSwept({
    parts: redis({ url: server.url, name: 'sweep', leaseTtl: '2 seconds' }),
    replica: join(__dirname, 'fixtures', 'startupRun.cjs'),
    env,
  });
}, 180_000);
