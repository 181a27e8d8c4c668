import { expectOutputKeptWithRecords, startRedisServer, type RedisServer } from '@apogee/test-utils';
import { Redis } from 'ioredis';
import { redis } from './redis';

// Real Redis: a loaded machine can take seconds.
jest.setTimeout(60_000);

let server: RedisServer;
let admin: Redis;
const released: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  admin = new Redis(server.url);
});
afterAll(async () => {
  for (const release of released) await release();
  admin.disconnect();
  await server.stop();
});

let n = 0;
function sharedLog(perTask?: number): { log: ReturnType<typeof redis>['log']; name: string } {
  const name = `out${String(++n)}`;
  const { log } = redis({ url: server.url, name, retention: perTask === undefined ? {} : { perTask } });
  released.push(async () => {
    await log.release?.();
  });
  return { log, name };
}

describe('RedisRunLog run output', () => {
  it("keeps each run's lines in order with their fields, and deletes them with the run's records", async () => {
    const { log, name } = sharedLog(4);
    await expectOutputKeptWithRecords(log);
    expect((await admin.keys(`apogee:{${name}}:out:*`)).sort()).toEqual([
      `apogee:{${name}}:out:o2`,
      `apogee:{${name}}:out:o3`,
    ]);
  });

  it('skips a line that is not one Apogee wrote, warning with its key, and reads the rest', async () => {
    const { log, name } = sharedLog();
    const warnings: string[] = [];
    const keep = (message: string): void => {
      warnings.push(message);
    };
    log.useLogger?.({ debug: keep, info: keep, warn: keep, error: keep });
    await log.appendOutput('r1', 't', [{ at: new Date(1), level: 'info', message: 'one' }]);
    const key = `apogee:{${name}}:out:r1`;
    await admin.rpush(key, 'not json', JSON.stringify({ at: 2, level: 'loud', message: 'x' }));
    await log.appendOutput('r1', 't', [
      { at: new Date(3), level: 'error', message: 'three', fields: { a: 1 } },
    ]);
    expect(await log.output('r1')).toEqual([
      { at: new Date(1), level: 'info', message: 'one' },
      { at: new Date(3), level: 'error', message: 'three', fields: { a: 1 } },
    ]);
    expect(warnings).toEqual([
      expect.stringContaining(`skipped an output line at ${key}[1]: is not valid JSON`),
      expect.stringContaining(
        `skipped an output line at ${key}[2]: the value.level is "loud", not one of debug, info, warn, error`,
      ),
    ]);
  });
});
