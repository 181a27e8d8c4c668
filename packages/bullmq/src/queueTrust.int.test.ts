/**
 * Jobs and messages written straight into a real Redis, the way anything with access to it could:
 * workers run only what a leader dispatched, keep running, and warn naming the job or channel.
 */
import { App, Arg } from '@apogee/core';
import { redis } from '@apogee/redis';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullmq } from './bullmq';
import { Instance } from './fixtures/Instance';
import { waitFor } from './fixtures/waitFor';

jest.setTimeout(120_000);

const SECRET = 'a-secret-of-at-least-16-characters';
let server: RedisServer;
let client: Redis;
let n = 0;
const warnings: string[] = [];
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url, { maxRetriesPerRequest: null });
  jest.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
    warnings.push(String(warning));
  });
});
afterEach(async () => {
  for (const stop of cleanup.splice(0).reverse()) await stop();
  warnings.length = 0;
});
afterAll(async () => {
  jest.restoreAllMocks();
  client.disconnect();
  await server.stop();
});

const warned = (text: string): Promise<string> =>
  waitFor(`a warning containing ${text}`, () => warnings.find((w) => w.includes(text)));
const warnedOf = (where: string, text: string): Promise<string> =>
  waitFor(`a warning of ${where} containing ${text}`, () =>
    warnings.find((w) => w.includes(where) && w.includes(text)),
  );

/** One instance of app `name` (redis() and bullmq()), leading; what its tasks ran goes to `ran`. */
async function start(name: string, ran: unknown[], secret?: string): Promise<App> {
  const secrets = secret === undefined ? {} : { secret };
  const app = new App({
    ...redis({ url: server.url, name, leaseTtl: '10 seconds', ...secrets }),
    ...bullmq({ url: server.url, name, concurrency: 2, ...secrets }),
  });
  app.task({ name: 'wipe', execution: 'queue', inject: [Arg('customer', 'none')] }, (customer: unknown) => {
    ran.push(['wipe', customer]);
    return 'wiped';
  });
  app.task({ name: 'paused', execution: 'queue' }, () => ran.push(['paused']));
  app.task({ name: 'local', execution: 'async' }, () => ran.push(['local']));
  app.task({ name: 'echo', execution: 'queue', inject: [Arg('filter', null)] }, (filter: object) => ({
    own: Object.hasOwn(filter, '__proto__'),
    admin: (filter as { admin?: unknown }).admin ?? null,
  }));
  const done = app.run({ handleSignals: false });
  cleanup.push(async () => {
    await app.shutdown();
    await done;
    await app.logs.release?.();
  });
  await waitFor('the instance to lead', () => app.isLeader);
  return app;
}

/** A BullMQ queue on the app's queue, as any program with access to Redis could open it. */
function handQueue(name: string): Queue {
  const queue = new Queue(name, { connection: client, prefix: 'apogee' });
  cleanup.push(() => queue.close());
  return queue;
}

const ended = (app: App, taskName: string, action: string): Promise<unknown> =>
  waitFor(`a ${action} of ${taskName}`, async () =>
    (await app.logs.records({ taskName, action: action as 'success' })).at(-1),
  );

describe('a queue worker', () => {
  it('runs no job added by hand: unclaimed, of a task not on the queue, unknown, or not a job', async () => {
    const name = `trust${String(++n)}`;
    const ran: unknown[] = [];
    const app = await start(name, ran);
    const queue = handQueue(name);
    await queue.add('wipe', { taskName: 'wipe', runId: 'r1', args: ['all'], executing: [] }, { jobId: 'h1' });
    await queue.add('local', { taskName: 'local', runId: 'r2', args: [], executing: [] }, { jobId: 'h2' });
    await queue.add('nope', { taskName: 'nope', runId: 'r3', args: [], executing: [] }, { jobId: 'h3' });
    await queue.add('bad', { taskName: 5 }, { jobId: 'h4' });
    const where = (id: string): string => `job ${id} of queue apogee:${name}`;
    expect(await warned(where('h1'))).toContain('no leader claimed run r1 of task "wipe"');
    expect(await warned(where('h2'))).toContain("has execution 'async', not 'queue'");
    expect(await warned(where('h3'))).toContain('task "nope" is not registered');
    expect(await warned(where('h4'))).toContain('the value.taskName is a number');

    // A claim of a condition start of a paused task is refused too; a batch of it runs.
    app.session.get('paused').disable();
    await waitFor(
      'the pause to be stored',
      async () => (await client.hget(`apogee:{${name}}:paused`, 'paused')) === '1',
    );
    const open = JSON.stringify({ taskName: 'paused', start: Date.now(), process: 'x', recorded: 0 });
    await client.hset(`apogee:{${name}}:open`, 'r5', open);
    await queue.add('paused', { taskName: 'paused', runId: 'r5', args: [], executing: [] }, { jobId: 'h5' });
    expect(await warned(where('h5'))).toContain('task "paused" is disabled');

    app.session.get('wipe').run({ customer: 'c1' });
    app.session.get('paused').run();
    await ended(app, 'wipe', 'success');
    await ended(app, 'paused', 'success');
    expect(ran).toEqual(expect.arrayContaining([['wipe', 'c1'], ['paused']]));
    expect(ran).toHaveLength(2);
  });

  it('keeps a __proto__ key of batch parameters an own property through the queue', async () => {
    const name = `trust${String(++n)}`;
    const app = await start(name, []);
    app.session
      .get('echo')
      .run(JSON.parse('{"filter":{"__proto__":{"admin":true}}}') as Record<string, unknown>);
    const record = (await ended(app, 'echo', 'success')) as { returnValue: unknown };
    expect(record.returnValue).toEqual({ own: true, admin: null });
  });

  it('with a secret, refuses a job with a forged claim but no signature, and runs signed ones', async () => {
    const name = `trust${String(++n)}`;
    const ran: unknown[] = [];
    const app = await start(name, ran, SECRET);
    const queue = handQueue(name);
    const open = JSON.stringify({ taskName: 'wipe', start: Date.now(), process: 'x', recorded: 0 });
    await client.hset(`apogee:{${name}}:open`, 'forged', open);
    await client.set(`apogee:{${name}}:claim:forged`, '1');
    await queue.add(
      'wipe',
      { taskName: 'wipe', runId: 'forged', args: ['all'], executing: [] },
      { jobId: 'f1' },
    );
    const data = { taskName: 'wipe', runId: 'forged', args: ['all'], executing: [], signature: 'AAAA' };
    await queue.add('wipe', data, { jobId: 'f2' });
    // The worker's refusals; the leader, scanning the queue when it gains the lease, may warn of the
    // same jobs first ("carries no valid signature").
    expect(await warnedOf(`job f1 of queue apogee:${name}`, 'it is not signed')).toBeDefined();
    expect(await warnedOf(`job f2 of queue apogee:${name}`, 'its signature does not match')).toBeDefined();
    app.session.get('wipe').run({ customer: 'c1' });
    await ended(app, 'wipe', 'success');
    expect(ran).toEqual([['wipe', 'c1']]);
  });
});

describe('the cancel channel', () => {
  it('skips garbage and cuts a 20,000-deep cause chain, and an instance with uncaughtErrors "exit" keeps running', async () => {
    const name = `trust${String(++n)}`;
    const instance = await Instance.start(server.url, name, 'shared', { uncaughtErrors: 'exit' });
    cleanup.push(() => instance.stop());
    await instance.next(
      'the lease',
      (l) => l.event !== undefined && (l.event as { type: string }).type === 'leadershipAcquired',
    );
    const channel = `apogee:${name}:cancel`;
    let reason = '{"name":"Error","message":"0","fields":{}}';
    for (let i = 1; i < 20_000; i++)
      reason = `{"name":"Error","message":"${String(i)}","fields":{},"cause":${reason}}`;
    await client.publish(channel, 'garbage');
    await client.publish(channel, '{"jobId":7}');
    await client.publish(channel, `{"jobId":"nobody","reason":${reason}}`);
    await instance.run('greet', { who: 'still here' });
    await instance.next('greet to succeed', (l) => {
      const event = l.event as { type?: string; taskName?: string } | undefined;
      return event?.type === 'taskSucceeded' && event.taskName === 'greet';
    });
    const warning = (text: string): Promise<unknown> =>
      instance.next(
        `a warning about ${text}`,
        (l) => typeof l.warning === 'string' && l.warning.includes(text),
      );
    await warning(`channel ${channel}: is not valid JSON`);
    await warning(`channel ${channel}: the value.jobId is a number`);
    expect(instance.alive).toBe(true);
    expect(instance.events().filter((e) => e.type === 'uncaughtError')).toEqual([]);
  });
});
