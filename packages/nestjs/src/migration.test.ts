import 'reflect-metadata';
import { App, cron, DuplicateTaskError, Task } from '@apogee/core';
import { Injectable, Module, type INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApogeeModule } from './ApogeeModule';

// The rows of the README's "Migrating from @nestjs/schedule" table that say how a form behaves.
// Booted at 12:20:00 UTC on a fake clock.
beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-03-02T12:20:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

async function boot(...providers: (new (...args: never[]) => object)[]): Promise<INestApplicationContext> {
  @Module({ imports: [ApogeeModule.forRoot({ config: { timezone: 'UTC' } })], providers })
  class MigrationModule {}
  const moduleRef = await Test.createTestingModule({ imports: [MigrationModule] }).compile();
  return moduleRef.init();
}

/** Minutes after boot of each run of `task`. */
async function runMinutes(nest: INestApplicationContext, task: string): Promise<number[]> {
  const records = await nest.get(App).logs.records({ taskName: task, action: 'success' });
  const boot = Date.parse('2026-03-02T12:20:00Z');
  return records.map((r) => Math.round((r.created.getTime() - boot) / 60_000));
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
