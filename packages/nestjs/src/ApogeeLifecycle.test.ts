import { App, Task, UnknownTaskError } from '@apogee/core';
import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ApogeeModule } from './ApogeeModule';
import { useFakeClock } from '@apogee/test-utils';

useFakeClock(new Date('2026-03-02T12:00:00Z'));

/** What happened, in order, across Nest hooks, Apogee events and runs. */
const JOURNAL = 'JOURNAL';

/** A client other providers use; closing it is what must not happen under a live run. */
@Injectable()
class Database implements OnApplicationBootstrap, OnModuleDestroy {
  open = false;
  constructor(@Inject(JOURNAL) private readonly journal: string[]) {}
  async onApplicationBootstrap() {
    await Promise.resolve();
    this.open = true;
    this.journal.push('database open');
  }
  onModuleDestroy() {
    this.open = false;
    this.journal.push('database closed');
  }
}

@Injectable()
class Sync {
  constructor(
    private readonly db: Database,
    @Inject(JOURNAL) private readonly journal: string[],
  ) {}
  @Task({ start: 'every 1 minute' })
  async sync() {
    this.journal.push(`sync starts, database ${this.db.open ? 'open' : 'closed'}`);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    this.journal.push(`sync ends, database ${this.db.open ? 'open' : 'closed'}`);
  }
}

@Module({ providers: [Database], exports: [Database] })
class DatabaseModule {}

function appModule(journal: string[]) {
  @Module({
    imports: [ApogeeModule.forRoot(), DatabaseModule],
    providers: [Sync],
  })
  class AppModule implements OnApplicationBootstrap {
    constructor(@Inject(App) app: App) {
      app.events.subscribe((e) => {
        if (e.type === 'schedulerStarted' || e.type === 'schedulerStopped') journal.push(e.type);
      });
    }
    onApplicationBootstrap() {
      journal.push('root module bootstrapped');
    }
  }
  return AppModule;
}

describe('ApogeeModule lifecycle', () => {
  it('starts after every module bootstrapped and drains runs before other providers are destroyed', async () => {
    const journal: string[] = [];
    const signals = process.listenerCount('SIGTERM');
    // Global, so DatabaseModule and the root module both see the journal.
    @Module({ providers: [{ provide: JOURNAL, useValue: journal }], exports: [JOURNAL] })
    class JournalModule {}
    Logger.overrideLogger(false);
    const nest = await NestFactory.createApplicationContext({
      module: appModule(journal),
      imports: [{ module: JournalModule, global: true }],
    });
    expect(process.listenerCount('SIGTERM')).toBe(signals);
    await jest.advanceTimersByTimeAsync(10_000);
    const closing = nest.close();
    await jest.advanceTimersByTimeAsync(30_000);
    await closing;
    expect(journal).toEqual([
      'database open',
      'root module bootstrapped',
      'schedulerStarted',
      'sync starts, database open',
      'sync ends, database open',
      'schedulerStopped',
      'database closed',
    ]);
    // Nothing is left to keep the process alive: no timer of the scheduler or of a run.
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails bootstrap with the registration error, and starts nothing', async () => {
    @Injectable()
    class Broken {
      @Task({ start: "after task 'nowhere'" })
      job() {
        return 1;
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [ApogeeModule.forRoot()],
      providers: [Broken],
    }).compile();
    const error = await moduleRef.init().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownTaskError);
    expect((error as Error).message).toContain('nowhere');
    expect(jest.getTimerCount()).toBe(0);
  });
});
