import { App, cron, DuplicateTaskError, fromParam, Task, type SchedulerEvent } from '@apogee/core';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApogeeModule } from './ApogeeModule';
import { useFakeClock } from '@apogee/test-utils';

// The rows of the README's "Migrating from @nestjs/schedule" table that say how a form behaves.
// Booted at 12:20:00 UTC on a fake clock.
useFakeClock(new Date('2026-03-02T12:20:00Z'));

async function boot(...providers: (new (...args: never[]) => object)[]): Promise<INestApplicationContext> {
  return bootWith({}, ...providers);
}

async function bootWith(
  params: Record<string, unknown>,
  ...providers: (new (...args: never[]) => object)[]
): Promise<INestApplicationContext> {
  @Module({ imports: [ApogeeModule.forRoot({ config: { timezone: 'UTC' }, params })], providers })
  class MigrationModule {}
  const moduleRef = await Test.createTestingModule({ imports: [MigrationModule] }).compile();
  return moduleRef.init();
}

/** Minutes after boot of each run of `task`. */
async function runMinutes(nest: INestApplicationContext, task: string): Promise<number[]> {
  return (await runSeconds(nest, task)).map((s) => Math.round(s / 60));
}

/** Seconds after boot of each successful run of `task`. */
async function runSeconds(nest: INestApplicationContext, task: string): Promise<number[]> {
  const records = await nest.get(App).logs.records({ taskName: task, action: 'success' });
  const boot = Date.parse('2026-03-02T12:20:00Z');
  return records.map((r) => Math.round((r.created.getTime() - boot) / 1000));
}

describe('migrating from @nestjs/schedule', () => {
  it("@Interval(10000) first runs 10 s after boot; 'every 10 seconds' at boot, and with the scheduler-age guard 10 s after", async () => {
    @Injectable()
    class Polling {
      @Task('every 10 seconds')
      atBoot() {
        return Date.now();
      }
      @Task('every 10 seconds & scheduler has run over 10 seconds')
      likeInterval() {
        return Date.now();
      }
    }
    const nest = await boot(Polling);
    await jest.advanceTimersByTimeAsync(5_000);
    const app = nest.get(App);
    expect(app.session.get('atBoot').lastSuccess).toBeDefined();
    expect(app.session.get('likeInterval').lastSuccess).toBeUndefined();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(app.session.get('likeInterval').lastSuccess?.getTime()).toBeGreaterThanOrEqual(
      Date.parse('2026-03-02T12:20:10Z'),
    );
    await nest.close();
  });

  it("EVERY_HOUR runs at the top of the hour like cron('0 * * * *'); 'hourly' also runs at boot, then once in each hour", async () => {
    @Injectable()
    class Hourly {
      @Task({ start: cron('0 * * * *') })
      topOfHour() {
        return 1;
      }
      @Task('hourly')
      oncePerHour() {
        return 1;
      }
    }
    const nest = await boot(Hourly);
    await jest.advanceTimersByTimeAsync(100 * 60_000);
    expect(await runMinutes(nest, 'topOfHour')).toEqual([40, 100]);
    expect(await runMinutes(nest, 'oncePerHour')).toEqual([0, 40, 100]);
    await nest.close();
  });

  it('task names are method names, unique across the app: two handleCron() are a DuplicateTaskError, a name option fixes it', async () => {
    @Injectable()
    class Billing {
      @Task('hourly')
      handleCron() {
        return 'billing';
      }
    }
    @Injectable()
    class Shipping {
      @Task('hourly')
      handleCron() {
        return 'shipping';
      }
    }
    await expect(boot(Billing, Shipping)).rejects.toThrow(DuplicateTaskError);

    @Injectable()
    class NamedShipping {
      @Task({ name: 'shipping.handleCron', start: 'hourly' })
      handleCron() {
        return 'shipping';
      }
    }
    const nest = await boot(Billing, NamedShipping);
    expect(
      nest
        .get(App)
        .session.tasks.map((t) => t.name)
        .sort(),
    ).toEqual(['handleCron', 'shipping.handleCron']);
    await nest.close();
  });
});

// The other rows of the table, one test each (ScheduleModule.forRoot is every test's boot).
describe('migrating from @nestjs/schedule: the remaining rows', () => {
  it("@Cron('30 */5 * * * *') and cron('30 */5 * * * *') fire at the same instants", async () => {
    @Injectable()
    class Every5 {
      @Task({ start: cron('30 */5 * * * *') })
      fiveMinutes() {
        return 1;
      }
    }
    const nest = await boot(Every5);
    await jest.advanceTimersByTimeAsync(16 * 60_000);
    expect(await runSeconds(nest, 'fiveMinutes')).toEqual([30, 330, 630, 930]);
    await nest.close();
  });

  it("{ timeZone: 'Europe/Oslo' } is the task's timezone option, for its cron", async () => {
    @Injectable()
    class Oslo {
      @Task({ start: cron('0 13 * * *'), timezone: 'Europe/Oslo' })
      lunch() {
        return 1;
      }
    }
    const nest = await boot(Oslo);
    // 13:00 in Oslo (UTC+1 in March) is 12:00 UTC: tomorrow's, 23 h 40 min after boot.
    await jest.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(await runMinutes(nest, 'lunch')).toEqual([23 * 60 + 40]);
    await nest.close();
  });

  it('@Timeout(5000) is a run once, 5 s after boot', async () => {
    @Injectable()
    class Once {
      @Task('scheduler has run over 5 seconds & ~has started')
      warmUp() {
        return 1;
      }
    }
    const nest = await boot(Once);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(await runSeconds(nest, 'warmUp')).toEqual([5]);
    await nest.close();
  });

  it('a schedule from configuration: fromParam, changed live by app.params', async () => {
    @Injectable()
    class Configured {
      @Task({ start: fromParam('reportSchedule') })
      report() {
        return 1;
      }
    }
    const nest = await bootWith({ reportSchedule: 'every 10 minutes' }, Configured);
    await jest.advanceTimersByTimeAsync(25 * 60_000);
    expect(await runMinutes(nest, 'report')).toEqual([0, 10, 20]);
    nest.get(App).params({ reportSchedule: cron('0 * * * *') });
    await jest.advanceTimersByTimeAsync(60 * 60_000);
    expect(await runMinutes(nest, 'report')).toEqual([0, 10, 20, 40]);
    await nest.close();
  });

  it('getCronJob().stop()/start(), getCronJobs(), lastDate(), nextDate(), fireOnTick(), deleteCronJob()', async () => {
    @Injectable()
    class Jobs {
      @Task({ start: cron('0 * * * *') })
      hourly(): number {
        return 1;
      }
    }
    const nest = await boot(Jobs);
    const app = nest.get(App);
    const task = app.session.get('hourly');
    expect(app.session.tasks.map((t) => t.name)).toEqual(['hourly']);
    expect(task.nextRun()).toEqual(new Date('2026-03-02T13:00:00Z'));
    task.disabled = true; // stop()
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(task.lastRun).toBeUndefined();
    task.disabled = false; // start()
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(task.lastRun).toEqual(new Date('2026-03-02T14:00:00Z'));
    task.run({ reason: 'now' }); // fireOnTick()
    await jest.advanceTimersByTimeAsync(1000);
    const records = await app.logs.records({ taskName: 'hourly', action: 'run' });
    expect(records.at(-1)?.parameters).toEqual({ reason: 'now' });
    await task.remove(); // deleteCronJob()
    expect(app.session.tasks).toEqual([]);
    expect((await app.logs.records({ taskName: 'hourly' })).length).toBeGreaterThan(0);
    await nest.close();
  });

  it("addCronJob(): app.task({ name, start: 'cron 0 * * * *' }, fn) while running", async () => {
    @Injectable()
    class Empty {}
    const nest = await boot(Empty);
    const app = nest.get(App);
    app.task({ name: 'added', start: 'cron 0 * * * *' }, () => 1);
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(await runMinutes(nest, 'added')).toEqual([40]);
    await nest.close();
  });

  it("overlapping runs: skipped by default, overlap: 'allow' runs them side by side", async () => {
    const slow = () => new Promise((done) => setTimeout(done, 90_000));
    @Injectable()
    class Slow {
      @Task({ start: cron('* * * * *') })
      skipping() {
        return slow();
      }
      @Task({ start: cron('* * * * *'), overlap: 'allow' })
      allowing() {
        return slow();
      }
    }
    const nest = await boot(Slow);
    // Boot (12:20:00) is an instant. 'skip' runs at +0, +2 and +4 min (the +1 and +3 instants
    // come while a 90 s run is live); 'allow' runs at every one of the five instants.
    await jest.advanceTimersByTimeAsync(4 * 60_000);
    const app = nest.get(App);
    const started = async (name: string) =>
      (await app.logs.records({ taskName: name, action: 'run' })).length;
    expect({ skipping: await started('skipping'), allowing: await started('allowing') }).toEqual({
      skipping: 3,
      allowing: 5,
    });
    // Shutdown waits for the live runs: let their fake 90 s pass.
    const closing = nest.close();
    await jest.advanceTimersByTimeAsync(120_000);
    await closing;
  });

  it('errors: recorded, and the taskFailed event carries the error with its stack', async () => {
    @Injectable()
    class Failing {
      @Task({ start: cron('0 * * * *') })
      broken() {
        throw new Error('the feed is down');
      }
    }
    const nest = await boot(Failing);
    const app = nest.get(App);
    const failures: SchedulerEvent[] = [];
    app.events.subscribe((e) => {
      if (e.type === 'taskFailed') failures.push(e);
    });
    await jest.advanceTimersByTimeAsync(3_600_000);
    const [failed] = failures;
    expect(failed?.type === 'taskFailed' && (failed.error as Error).stack).toMatch(
      /the feed is down\n\s+at /,
    );
    expect((await app.logs.records({ taskName: 'broken', action: 'fail' })).length).toBe(1);
    await nest.close();
  });
});
