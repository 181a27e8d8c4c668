import { ApogeeError, App, DuplicateTaskError, Task } from '@apogee/core';
import { Controller, Injectable, Module, Scope, type ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApogeeModule } from './ApogeeModule';
import { ProviderScopeError } from './ProviderScopeError';
import { useFakeClock } from '@apogee/test-utils';

useFakeClock(new Date('2026-03-02T12:00:00Z'));

@Injectable()
class Reports {
  readonly id = Math.random();
  @Task({ start: 'every 10 seconds' })
  report() {
    return this.id;
  }
}

/** A testing module with ApogeeModule and `metadata`, initialised (bootstrapped). */
async function boot(metadata: Pick<ModuleMetadata, 'providers' | 'imports'>) {
  const moduleRef = await Test.createTestingModule({
    imports: [ApogeeModule.forRoot(), ...(metadata.imports ?? [])],
    providers: metadata.providers ?? [],
  }).compile();
  return moduleRef.init();
}

describe('discovery of task providers', () => {
  it('registers one set of tasks for a provider shared by two modules, running on its one instance', async () => {
    @Module({ providers: [Reports], exports: [Reports] })
    class ReportsModule {}
    @Module({ imports: [ReportsModule] })
    class Billing {}
    @Module({ imports: [ReportsModule] })
    class Shipping {}
    const nest = await boot({ imports: [Billing, Shipping] });
    await jest.advanceTimersByTimeAsync(15_000);
    const app = nest.get(App);
    expect(app.session.tasks.map((t) => t.name)).toEqual(['report']);
    expect(app.session.returns.get('report')).toBe(nest.get(Reports).id);
    await nest.close();
  });

  it('fails bootstrap with DuplicateTaskError when Nest built the class twice', async () => {
    const error = await boot({
      providers: [Reports, { provide: 'MORE_REPORTS', useClass: Reports }],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DuplicateTaskError);
    expect((error as Error).message).toContain(
      '"report": declared by class Reports, which Nest built 2 times',
    );
    expect((error as Error).message).toContain('MORE_REPORTS');
  });

  it.each([
    ['request-scoped', Scope.REQUEST, 'request-scoped'],
    ['transient', Scope.TRANSIENT, 'transient'],
  ])('fails bootstrap with ProviderScopeError for a %s provider', async (_, scope, words) => {
    @Injectable({ scope })
    class PerRequest {
      @Task({ start: 'every 10 seconds' })
      report() {
        return 1;
      }
    }
    const error = await boot({ providers: [PerRequest] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderScopeError);
    expect((error as Error).message).toContain(`PerRequest (in RootTestModule) has Apogee task`);
    expect((error as Error).message).toContain(words);
  });

  it('discovers controllers, ignores providers without Apogee methods, and builds `tasks` classes without Nest', async () => {
    @Controller()
    class Status {
      @Task({ start: 'every 10 seconds' })
      status() {
        return 'controller';
      }
    }
    @Injectable()
    class Plain {
      method() {
        return 1;
      }
    }
    class Outside {
      @Task({ start: 'every 10 seconds' })
      outside() {
        return 'outside';
      }
    }
    const moduleRef = await Test.createTestingModule({
      imports: [ApogeeModule.forRoot({ tasks: [Outside] })],
      controllers: [Status],
      providers: [Plain],
    }).compile();
    const nest = await moduleRef.init();
    await jest.advanceTimersByTimeAsync(15_000);
    const app = nest.get(App);
    expect(app.session.returns.get('status')).toBe('controller');
    expect(app.session.returns.get('outside')).toBe('outside');
    expect(app.session.tasks.map((t) => t.name).sort()).toEqual(['outside', 'status']);
    await nest.close();
  });

  it('fails bootstrap when a task of a Nest provider would run in a worker', async () => {
    @Injectable()
    class Heavy {
      @Task({ start: 'every 1 hour', execution: 'thread' })
      crunch() {
        return 1;
      }
    }
    const error = await boot({ providers: [Heavy] }).catch((e: unknown) => e);
    expect(ApogeeError.is(error) && error.code).toBe('NEST_EXECUTION');
    expect((error as Error).message).toContain(
      `Task "crunch" of Nest provider Heavy would run with execution 'thread'`,
    );
  });

  it("fails bootstrap when config.execution sends a Nest provider's task to a worker", async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ApogeeModule.forRoot({ config: { execution: 'process' } })],
      providers: [Reports],
    }).compile();
    const error = await moduleRef.init().catch((e: unknown) => e);
    expect((error as Error).message).toContain(
      `Task "report" of Nest provider Reports would run with execution 'process'`,
    );
  });
});
