import 'reflect-metadata';
import { App, ScheduledAt, cron, every, type Clock } from '@apogee/core';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

let server: RedisServer;
let n = 0;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

/** A clock that reads `iso` now and moves on in real time from there. */
function clockAt(iso: string): Clock {
  const offset = Date.parse(iso) - Date.now();
  return { now: () => Date.now() + offset };
}

/** One "process" of the app `name` on the test's Redis: its own connections, its own log. */
function process(name: string, clock?: Clock): App {
  const { log } = redis({ url: server.url, name });
  return new App({ log, config: { timezone: 'UTC' }, ...(clock === undefined ? {} : { clock }) });
}

describe('run policies across a restart (Redis log)', () => {
  it('keeps a task disabled through disable() for the next app on the same Redis, until enable()', async () => {
    const name = `pause${String(++n)}`;
    const build = (app: App): void => {
      app.task({ name: 'quiet', start: every('20 milliseconds') }, () => undefined);
    };
    const first = process(name);
    build(first);
    first.session.get('quiet').disable();
    const firstDone = first.run({ handleSignals: false });
    // The pause is stored in the background: the next app must find it there.
    const stored = redis({ url: server.url, name }).log;
    await waitFor('the pause stored', async () => (await stored.disabledTasks?.())?.get('quiet'));
    await stored.release?.();
    await first.shutdown();
    await firstDone;

    const second = process(name);
    build(second);
    const secondDone = second.run({ handleSignals: false });
    await waitFor('the app running', () => second.session.get('quiet').disabled);
    second.session.get('quiet').enable();
    await waitFor(
      'a run once enabled',
      async () => (await second.logs.records({ action: 'run' })).length > 0,
    );
    await second.shutdown();
    await secondDone;

    const third = process(name);
    build(third);
    const before = (await third.logs.records({ action: 'run' })).length;
    const thirdDone = third.run({ handleSignals: false });
    // Enabled is stored too: the next app runs the task again.
    await waitFor(
      'a run after the restart',
      async () => (await third.logs.records({ action: 'run' })).length > before,
    );
    expect(third.session.get('quiet').disabled).toBe(false);
    await third.shutdown();
    await thirdDone;
  });

  it('catches up missed cron instants (catchup: all), each run with its instant on the stored record', async () => {
    const name = `catchup${String(++n)}`;
    const seen: string[] = [];
    const build = (app: App): void => {
      app.task(
        { name: 'hourly', start: cron('0 * * * *'), catchup: 'all', inject: [ScheduledAt()] },
        (at: Date) => {
          seen.push(at.toISOString().slice(11, 16));
        },
      );
    };
    // 08:00:30, inside the 08:00 slot: the regular run, then down until 11:00:10.
    const first = process(name, clockAt('2026-05-04T08:00:30Z'));
    build(first);
    const firstDone = first.run({ handleSignals: false });
    await waitFor(
      'the 08:00 run',
      async () => (await first.logs.records({ action: 'success' })).length === 1,
    );
    await first.shutdown();
    await firstDone;

    const second = process(name, clockAt('2026-05-04T11:00:10Z'));
    build(second);
    const secondDone = second.run({ handleSignals: false });
    await waitFor(
      'the catch-up runs',
      async () => (await second.logs.records({ action: 'success' })).length === 4,
    );
    await second.shutdown();
    await secondDone;
    expect(seen).toEqual(['08:00', '09:00', '10:00', '11:00']);
    const reread = redis({ url: server.url, name }).log;
    const runs = await reread.records({ action: 'run' });
    await reread.release?.();
    expect(runs.map((r) => r.scheduledAt?.toISOString().slice(11, 16))).toEqual([
      '08:00',
      '09:00',
      '10:00',
      '11:00',
    ]);
  });
});
