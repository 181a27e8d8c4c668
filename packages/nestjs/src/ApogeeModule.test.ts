import { App, Arg, Cond, Param, Task } from '@apogee/core';
import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApogeeLifecycle } from './ApogeeLifecycle';
import { ApogeeModule } from './ApogeeModule';
import { useFakeClock } from '@apogee/test-utils';

useFakeClock(new Date('2026-03-02T12:00:00Z'));

const GREETING = 'GREETING';

@Injectable()
class Greeter {
  greet(who: string): string {
    return `hello ${who}`;
  }
}

/** A Nest service with Apogee methods: constructor injection by type and by token. */
@Injectable()
class Reports {
  constructor(
    private readonly greeter: Greeter,
    @Inject(GREETING) private readonly greeting: string,
  ) {}
  @Param('who')
  who() {
    return 'ada';
  }
  @Cond('is open')
  open() {
    return true;
  }
  @Task({ start: 'every 10 seconds & is open' })
  report(@Arg('who') who: string) {
    return `${this.greeting}: ${this.greeter.greet(who)}`;
  }
}

/** Any service can inject App. */
@Injectable()
class Trigger {
  constructor(readonly app: App) {}
}

@Module({
  imports: [ApogeeModule.forRoot({ config: { timezone: 'UTC' } })],
  providers: [Greeter, Reports, Trigger, { provide: GREETING, useValue: 'nest' }],
})
class ReportsModule {}

describe('ApogeeModule.forRoot', () => {
  it('runs @Task methods on the instance Nest built, with its injected services, and exposes App', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ReportsModule] }).compile();
    const nest = await moduleRef.init();
    const app = nest.get(Trigger).app;
    expect(app).toBe(nest.get(App));
    await jest.advanceTimersByTimeAsync(25_000);
    expect(app.session.returns.get('report')).toBe('nest: hello ada');
    expect(await app.logs.records({ taskName: 'report', action: 'success' })).toHaveLength(3);
    await nest.close();
  });
});

describe('ApogeeModule without decorator metadata', () => {
  it('bootstraps when its own classes carry no design:paramtypes (a loader such as tsx emits none)', async () => {
    // What tsx would have left out: the constructor parameter types of the module's own classes.
    const saved = Reflect.getMetadata('design:paramtypes', ApogeeLifecycle) as unknown;
    Reflect.deleteMetadata('design:paramtypes', ApogeeLifecycle);
    try {
      const nest = await Test.createTestingModule({ imports: [ReportsModule] })
        .compile()
        .then((m) => m.init());
      await jest.advanceTimersByTimeAsync(1000);
      expect(nest.get(App).session.returns.get('report')).toBe('nest: hello ada');
      await nest.close();
    } finally {
      Reflect.defineMetadata('design:paramtypes', saved, ApogeeLifecycle);
    }
  });
});
