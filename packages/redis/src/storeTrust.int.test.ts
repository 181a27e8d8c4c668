/**
 * Hostile values written straight into a real Redis, the way anything with access to it could:
 * the replicas keep scheduling, answer requests, warn naming the key, and never exit.
 */
import { App, Return } from '@apogee/core';
import { serveControl } from '@apogee/http';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { Redis } from 'ioredis';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

jest.setTimeout(90_000);

const SECRET = 'a-secret-of-at-least-16-characters';
let server: RedisServer;
let client: Redis;
let n = 0;
const warnings: string[] = [];
const running: { app: App; done: Promise<void> }[] = [];

beforeAll(async () => {
  server = await startRedisServer();
  client = new Redis(server.url);
  jest.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
    warnings.push(String(warning));
  });
});
afterEach(async () => {
  await stopAll();
  warnings.length = 0;
});
afterAll(async () => {
  jest.restoreAllMocks();
  client.disconnect();
  await server.stop();
});

const uniqueName = (): string => `trust${String(++n)}`;
const prefix = (name: string): string => `apogee:{${name}}:`;

/** A replica of app `name`, running; `build` registers its tasks. */
function start(name: string, build: (app: App) => void, secret?: string): App {
  const app = new App({
    ...redis({ url: server.url, name, leaseTtl: '10 seconds', ...(secret === undefined ? {} : { secret }) }),
  });
  build(app);
  running.push({ app, done: app.run({ handleSignals: false }) });
  return app;
}

async function stopAll(): Promise<void> {
  for (const { app, done } of running.splice(0)) {
    await app.shutdown();
    await done;
    await app.logs.release?.();
  }
}

const warned = (text: string): Promise<string> =>
  waitFor(`a warning containing ${text}`, () => warnings.find((w) => w.includes(text)));

const successes = async (app: App, taskName: string): Promise<number> =>
  (await app.logs.records({ taskName, action: 'success' })).length;

describe('a shared log with malformed values in Redis', () => {
  it('keeps storing records of a task whose state field is not JSON, and a new replica still starts', async () => {
    const name = uniqueName();
    const first = start(name, (app) => app.task({ name: 'job' }, () => 'ok'));
    await waitFor('a leader', () => first.isLeader);
    await client.hset(`${prefix(name)}state`, 'job', '{not json');
    first.session.get('job').run();
    await waitFor('the run to be stored', async () => (await successes(first, 'job')) === 1);
    // The append rewrote the field in a shape a restore accepts.
    expect(JSON.parse((await client.hget(`${prefix(name)}state`, 'job')) ?? '')).toMatchObject({
      status: 'success',
    });
    await stopAll();

    await client.hset(
      `${prefix(name)}state`,
      'job',
      '{"last":{"run":{"at":"yesterday","sequence":1}},"consecutiveFails":0}',
    );
    const second = start(name, (app) => app.task({ name: 'job' }, () => 'ok'));
    await waitFor('the new replica to lead', () => second.isLeader);
    expect(await warned(`${prefix(name)}state field "job"`)).toContain('the value.last.run.at is a string');
    second.session.get('job').run();
    await waitFor('a run after the restore', async () => (await successes(second, 'job')) === 2);
  });

  it('starts and stores with malformed open runs and a sequence counter that is not a number', async () => {
    const name = uniqueName();
    await client.hset(
      `${prefix(name)}open`,
      'bad1',
      'garbage',
      'bad2',
      '{"taskName":"job","start":"x","process":"p","recorded":0}',
    );
    await client.set(`${prefix(name)}seq`, 'not a number');
    const app = start(name, (a) => a.task({ name: 'job' }, () => 'ok'));
    await waitFor('a leader', () => app.isLeader);
    expect(await warned(`${prefix(name)}open field "bad1"`)).toContain('is not valid JSON');
    expect(await warned(`${prefix(name)}open field "bad2"`)).toContain('the value.start is a string');
    app.session.get('job').run();
    await waitFor('the run to be stored', async () => (await successes(app, 'job')) === 1);
    expect(await client.get(`${prefix(name)}seq`)).toBe('2');
  });

  it('answers /logs, /runs, /timeline and /runs/:id with a record key that is not JSON, and warns naming it', async () => {
    const name = uniqueName();
    const app = start(name, (a) => a.task({ name: 'job' }, () => 'ok'));
    await waitFor('a leader', () => app.isLeader);
    app.session.get('job').run();
    await waitFor('the run', async () => (await successes(app, 'job')) === 1);
    const [runRecord] = await app.logs.records({ taskName: 'job', action: 'run' });
    await client.set(`${prefix(name)}rec:1`, '{broken');
    await client.set(
      `${prefix(name)}rec:2`,
      '{"taskName":"job","action":"success","created":"not-a-date","runId":"x"}',
    );
    const control = await serveControl(app, { port: 0 });
    try {
      for (const path of [
        '/logs',
        '/logs?task=job',
        '/runs',
        '/timeline',
        `/runs/${runRecord?.runId ?? ''}?task=job`,
      ]) {
        const response = await fetch(`${control.url}${path}`);
        expect([path, response.status]).toEqual([path, response.status === 404 ? 404 : 200]);
      }
    } finally {
      await control.close();
    }
    expect(await warned(`${prefix(name)}rec:1: is not valid JSON`)).toContain('skipped a run record');
    expect(await warned(`${prefix(name)}rec:2`)).toContain('created is a string');
  });

  it('keeps GET /tasks of a follower answering after a published record with created "not-a-date"', async () => {
    const name = uniqueName();
    const leader = start(name, (a) => a.task({ name: 'job' }, () => 'leader'));
    await waitFor('a leader', () => leader.isLeader);
    const follower = start(name, (a) => a.task({ name: 'job' }, () => 'follower'));
    await waitFor('the follower to start', async () => (await follower.logs.records()) !== undefined);
    const control = await serveControl(follower, { port: 0 });
    try {
      const channel = `${prefix(name)}records`;
      const forged = JSON.stringify({
        taskName: 'job',
        action: 'success',
        created: 'not-a-date',
        runId: 'x',
      });
      await client.publish(channel, JSON.stringify({ process: 'someone', record: forged }));
      await client.publish(channel, 'garbage');
      await warned(`channel ${channel}: the value.created`);
      await warned(`channel ${channel}: is not valid JSON`);
      expect((await fetch(`${control.url}/tasks`)).status).toBe(200);
      leader.session.get('job').run();
      await waitFor('the follower to show the genuine run', async () => {
        const body = (await (await fetch(`${control.url}/tasks/job`)).json()) as { status: string | null };
        return body.status === 'success';
      });
    } finally {
      await control.close();
    }
  });
});

describe('return values read back from Redis', () => {
  const build = (app: App): void => {
    app.task({ name: 'fetch' }, () => 'genuine');
    app.task({ name: 'use', inject: [Return('fetch')] }, (value: unknown) => `used ${String(value)}`);
  };

  it('are taken from the success record, not from a state field edited alone', async () => {
    const name = uniqueName();
    const first = start(name, build);
    await waitFor('a leader', () => first.isLeader);
    first.session.get('fetch').run();
    await waitFor('fetch to succeed', async () => (await successes(first, 'fetch')) === 1);
    await stopAll();
    const key = `${prefix(name)}state`;
    const state = JSON.parse((await client.hget(key, 'fetch')) ?? '') as Record<string, unknown>;
    await client.hset(key, 'fetch', JSON.stringify({ ...state, returnValue: '"forged"' }));
    const second = start(name, build);
    await waitFor('the new leader', () => second.isLeader);
    expect(second.session.returns.get('fetch')).toBe('genuine');
    second.session.get('use').run();
    await waitFor('use to succeed', async () => (await successes(second, 'use')) === 1);
    const [used] = await second.logs.records({ taskName: 'use', action: 'success' });
    expect(used?.returnValue).toBe('used genuine');
  });

  it('with a secret, are passed to @Return only with a valid signature', async () => {
    const name = uniqueName();
    const first = start(name, build, SECRET);
    await waitFor('a leader', () => first.isLeader);
    first.session.get('fetch').run();
    await waitFor('fetch to succeed', async () => (await successes(first, 'fetch')) === 1);
    await stopAll();
    const restarted = start(name, build, SECRET);
    await waitFor('the new leader', () => restarted.isLeader);
    expect(restarted.session.returns.get('fetch')).toBe('genuine');
    await stopAll();

    // Record and state forged together: what an attacker without the secret can write.
    const [success] = await client.zrange(`${prefix(name)}idx:ta:fetch:success`, -1, -1);
    const recordKey = `${prefix(name)}rec:${success ?? ''}`;
    const record = JSON.parse((await client.get(recordKey)) ?? '') as Record<string, unknown>;
    await client.set(recordKey, JSON.stringify({ ...record, returnValue: '"forged"' }));
    const key = `${prefix(name)}state`;
    const state = JSON.parse((await client.hget(key, 'fetch')) ?? '') as Record<string, unknown>;
    await client.hset(key, 'fetch', JSON.stringify({ ...state, returnValue: '"forged"' }));
    const second = start(name, build, SECRET);
    await waitFor('the new leader', () => second.isLeader);
    expect(second.session.returns.has('fetch')).toBe(false);
    expect(await warned(recordKey)).toContain('it carries no valid signature');
  });
});

describe('requests relayed through Redis', () => {
  it('skips an entry whose run id is not a string, leaving no claim behind', async () => {
    const name = uniqueName();
    const app = start(name, (a) => a.task({ name: 'job' }, () => 'ok'));
    await waitFor('a leader', () => app.isLeader);
    const key = `${prefix(name)}requests`;
    await client.rpush(
      key,
      JSON.stringify({ kind: 'run', taskName: 'job', params: {}, runId: { evil: 1 } }),
      '[1,2',
    );
    await warned(`${key}: the value.runId is an object`);
    await warned(`${key}: is not valid JSON`);
    await waitFor('the list to be drained', async () => (await client.llen(key)) === 0);
    expect(await client.hlen(`${prefix(name)}open`)).toBe(0);
    expect(await app.logs.records({ taskName: 'job' })).toEqual([]);
    app.session.get('job').run();
    await waitFor('a genuine run', async () => (await successes(app, 'job')) === 1);
  });

  it('with a secret, carries out signed requests from a follower and refuses unsigned ones', async () => {
    const name = uniqueName();
    const ran: unknown[] = [];
    const build = (a: App): void => {
      a.task({ name: 'wipe' }, () => ran.push('wiped'));
    };
    const leader = start(name, build, SECRET);
    await waitFor('a leader', () => leader.isLeader);
    const key = `${prefix(name)}requests`;
    await client.rpush(
      key,
      JSON.stringify({ kind: 'run', taskName: 'wipe', params: { customer: 'all' }, runId: 'forged1' }),
    );
    const refused = await warned(key);
    expect(refused).toContain('refused a "run" request for task "wipe"');
    expect(refused).toContain('it is not signed');
    await client.rpush(
      key,
      JSON.stringify({ kind: 'run', taskName: 'wipe', params: {}, runId: 'forged2', signature: 'AAAA' }),
    );
    await warned('its signature does not match');
    const follower = start(name, build, SECRET);
    await waitFor('the follower to start', async () => (await follower.logs.records()) !== undefined);
    follower.session.get('wipe').run({ customer: 'c1' });
    await waitFor('the signed request to run', async () => (await successes(leader, 'wipe')) === 1);
    const records = await leader.logs.records({ taskName: 'wipe' });
    expect(records.map((r) => r.runId)).not.toContain('forged1');
    expect(records[0]?.parameters).toEqual({ customer: 'c1' });
  });
});
