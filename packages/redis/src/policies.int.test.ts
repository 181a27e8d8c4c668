import { App, ScheduledAt, cron, every, type Clock } from '@apogee/core';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

// Real Redis and real time: a loaded machine (cold workers, busy CPUs) can take seconds; the
// tests wait for events, never for a speed.
jest.setTimeout(60_000);

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

/** One "process" of the app `name` on the test's Redis (its own connections, its own log), built by `build`. */
function process(name: string, build: (app: App) => void, clock?: Clock): App {
  const { log } = redis({ url: server.url, name });
  const app = new App({ log, config: { timezone: 'UTC' }, ...(clock === undefined ? {} : { clock }) });
  build(app);
  return app;
}

/** Runs `app` until `check` holds, then shuts it down. */
async function runUntil(app: App, what: string, check: () => Promise<boolean>): Promise<void> {
  const done = app.run({ handleSignals: false });
  await waitFor(what, check);
  await app.shutdown();
  await done;
}

/** How many records of `action` the app's log holds. */
const count = async (app: App, action: 'run' | 'success'): Promise<number> =>
  (await app.logs.records({ action })).length;

describe('run policies across a restart (Redis log)', () => {
  it('keeps a task disabled through disable() for the next app on the same Redis, until enable()', async () => {
    const name = `pause${String(++n)}`;
    const build = (app: App): void => {
      app.task({ name: 'quiet', start: every('20 milliseconds') }, () => undefined);
    };
    const first = process(name, build);
    first.session.get('quiet').disable();
    // The pause is stored in the background: the next app must find it there.
    const stored = redis({ url: server.url, name }).log;
    await runUntil(
      first,
      'the pause stored',
      async () => (await stored.disabledTasks?.())?.get('quiet') === true,
    );
    await stored.release?.();

    const second = process(name, build);
    let enabled = false;
    await runUntil(second, 'a run once enabled', async () => {
      if (!second.session.get('quiet').disabled) return count(second, 'run').then((c) => c > 0);
      // Disabled from the log, with no run: then enabled here.
      expect(await count(second, 'run')).toBe(0);
      second.session.get('quiet').enable();
      enabled = true;
      return false;
    });
    expect(enabled).toBe(true);

    // Enabled is stored too: the next app runs the task again.
    const third = process(name, build);
    const before = await count(third, 'run');
    await runUntil(third, 'a run after the restart', async () => (await count(third, 'run')) > before);
    expect(third.session.get('quiet').disabled).toBe(false);
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
    const first = process(name, build, clockAt('2026-05-04T08:00:30Z'));
    await runUntil(first, 'the 08:00 run', async () => (await count(first, 'success')) === 1);
    const second = process(name, build, clockAt('2026-05-04T11:00:10Z'));
    await runUntil(second, 'the catch-up runs', async () => (await count(second, 'success')) === 4);
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
