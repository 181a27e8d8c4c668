import { App, ConditionSyntaxError, Task, fromParam } from '@apogee/core';
import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApogeeModule } from './ApogeeModule';
import type { ApogeeModuleOptions, ApogeeOptionsFactory } from './ApogeeModuleOptions';
import { useFakeClock } from '@apogee/test-utils';

useFakeClock(new Date('2026-03-02T12:00:00Z'));

const ENV = 'ENV';

/** The shape of Nest's ConfigService that matters here: typed reads of configuration. */
@Injectable()
class ConfigService {
  constructor(@Inject(ENV) private readonly env: Record<string, string>) {}
  get(key: string): string {
    const value = this.env[key];
    if (value === undefined) throw new Error(`No configuration value ${key}`);
    return value;
  }
}

const configModule = (env: Record<string, string>) => {
  @Module({ providers: [ConfigService, { provide: ENV, useValue: env }], exports: [ConfigService] })
  class ConfigModule {}
  return ConfigModule;
};

/** Its schedule is configuration, not code. */
@Injectable()
class Reports {
  @Task({ start: fromParam('reportSchedule') })
  report() {
    return 'sent';
  }
}

const optionsFrom = (config: ConfigService): ApogeeModuleOptions => ({
  params: { reportSchedule: config.get('REPORT_SCHEDULE') },
});

@Injectable()
class ApogeeConfig implements ApogeeOptionsFactory {
  constructor(@Inject(ConfigService) private readonly config: ConfigService) {}
  createApogeeOptions() {
    return optionsFrom(this.config);
  }
}

async function reportRuns(apogee: ReturnType<typeof ApogeeModule.forRootAsync>, ms: number) {
  const nest = await Test.createTestingModule({ imports: [apogee], providers: [Reports] })
    .compile()
    .then((m) => m.init());
  await jest.advanceTimersByTimeAsync(ms);
  const runs = await nest.get(App).logs.records({ taskName: 'report', action: 'success' });
  await nest.close();
  return runs.length;
}

describe('ApogeeModule.forRootAsync', () => {
  it('builds the options with useFactory from injected services: the schedule comes from configuration', async () => {
    const every10s = configModule({ REPORT_SCHEDULE: 'every 10 seconds' });
    const every30s = configModule({ REPORT_SCHEDULE: 'every 30 seconds' });
    const build = (imports: ReturnType<typeof configModule>) =>
      ApogeeModule.forRootAsync({ imports: [imports], inject: [ConfigService], useFactory: optionsFrom });
    expect(await reportRuns(build(every10s), 60_000)).toBe(7);
    expect(await reportRuns(build(every30s), 60_000)).toBe(3);
  });

  it('builds the options with useClass and with useExisting', async () => {
    const env = configModule({ REPORT_SCHEDULE: 'every 20 seconds' });
    expect(
      await reportRuns(ApogeeModule.forRootAsync({ imports: [env], useClass: ApogeeConfig }), 60_000),
    ).toBe(4);
    @Module({ imports: [env], providers: [ApogeeConfig], exports: [ApogeeConfig] })
    class OptionsModule {}
    expect(
      await reportRuns(
        ApogeeModule.forRootAsync({ imports: [OptionsModule], useExisting: ApogeeConfig }),
        60_000,
      ),
    ).toBe(4);
  });

  it('lets a service change the schedule through the injected App, rejecting one that does not parse', async () => {
    @Injectable()
    class Settings {
      constructor(readonly app: App) {}
      reschedule(schedule: string) {
        this.app.params({ reportSchedule: schedule });
      }
    }
    const nest = await Test.createTestingModule({
      imports: [
        ApogeeModule.forRootAsync({
          imports: [configModule({ REPORT_SCHEDULE: 'every 1 hour' })],
          inject: [ConfigService],
          useFactory: optionsFrom,
        }),
      ],
      providers: [Reports, Settings],
    })
      .compile()
      .then((m) => m.init());
    const settings = nest.get(Settings);
    await jest.advanceTimersByTimeAsync(1000);
    expect(() => {
      settings.reschedule('evry 10 seconds');
    }).toThrow(ConditionSyntaxError);
    settings.reschedule('every 10 seconds');
    await jest.advanceTimersByTimeAsync(25_000);
    expect(await settings.app.logs.records({ taskName: 'report', action: 'success' })).toHaveLength(3);
    await nest.close();
  });

  it('takes exactly one way to build the options', () => {
    expect(() => ApogeeModule.forRootAsync({ useFactory: () => ({}), useClass: ApogeeConfig })).toThrow(
      'The options of ApogeeModule.forRootAsync(...): ["useFactory","useClass"] is not valid. Expected exactly one of useFactory, useClass and useExisting.',
    );
  });
});
