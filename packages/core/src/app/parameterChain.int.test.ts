import { runFor, useFakeClock } from '@apogee/test-utils';
import {
  App,
  Arg,
  Env,
  FuncArg,
  MissingParameterError,
  NoValueError,
  Param,
  ParameterProviderError,
  ParameterResolutionError,
  SimpleArg,
  Task,
} from '../index';

useFakeClock(new Date('2026-03-02T12:00:00Z'));

/** Runs `name` once and returns the error its run failed with. */
async function failureOf(app: App, name: string): Promise<unknown> {
  app.session.get(name).run();
  await runFor(app, 10);
  const [failed] = await app.logs.records({ taskName: name, action: 'fail' });
  if (failed === undefined) throw new Error(`task ${name} did not fail`);
  return failed.error;
}

describe('a parameter that fails inside a provider names the chain', () => {
  it('says that task load needed db_url, whose provider needed the missing db_host', async () => {
    const app = new App();
    app.param({ name: 'db_url', inject: [Arg('db_host')] }, (host: string) => `postgres://${host}`);
    app.task({ name: 'load', inject: [Arg('db_url')] }, (url: string) => url);
    const error = await failureOf(app, 'load');
    expect(error).toBeInstanceOf(ParameterResolutionError);
    const message = (error as Error).message;
    expect(message).toContain(
      'Cannot resolve parameter "db_url" (parameter #0 of load, task "load"): load <- db_url <- db_host. Reason:\n' +
        '    Cannot resolve parameter "db_host" (parameter #0 of db_url, task "load").\n' +
        '    Looked in: batch -> task -> function -> session; found in none.',
    );
    expect((error as ParameterResolutionError).chain).toEqual(['db_url', 'db_host']);
    expect((error as Error).cause).toBeInstanceOf(MissingParameterError);
    expect((error as ParameterResolutionError).rootCause).toBe((error as Error).cause);
  });

  it('nests one level per provider, each keeping the inner error as cause', async () => {
    class Params {
      @Param('db_url')
      dbUrl(@Arg('credentials') credentials: string) {
        return `postgres://${credentials}@db`;
      }
      @Param('credentials')
      credentials(@Env('DB_PASSWORD') password: string) {
        return `app:${password}`;
      }
    }
    class Jobs {
      @Task()
      load(@Arg('db_url') url: string) {
        return url;
      }
    }
    const app = new App({ tasks: [Params, Jobs], env: {} });
    const error = (await failureOf(app, 'load')) as ParameterResolutionError;
    expect(error.message.split('\n').slice(0, 3)).toEqual([
      'Cannot resolve parameter "db_url" (parameter #0 of Jobs.load, task "load"): Jobs.load <- db_url <- credentials <- Env(DB_PASSWORD). Reason:',
      '    Cannot resolve parameter "credentials" (parameter #0 of Params.dbUrl, task "load"): Params.dbUrl <- credentials <- Env(DB_PASSWORD). Reason:',
      '        Environment variable DB_PASSWORD is not set.',
    ]);
    const inner = error.cause as ParameterResolutionError;
    expect(inner).toBeInstanceOf(ParameterResolutionError);
    expect(inner.cause).toBeInstanceOf(NoValueError);
    expect(error.rootCause).toBe(inner.cause);
  });

  it('keeps a failure of the task parameter itself as it was raised', async () => {
    const app = new App({
      params: {
        broken: new FuncArg(function connect() {
          throw new Error('refused');
        }),
      },
    });
    app.task({ name: 'direct', inject: [Arg('broken')] }, (b: unknown) => b);
    expect(await failureOf(app, 'direct')).toBeInstanceOf(ParameterProviderError);
  });

  it('still lets .or() move on when a nested parameter has no value', async () => {
    const needsEnv = new FuncArg((v: string) => v, { inject: [Env('NOT_SET')] });
    const app = new App({
      env: {},
      params: {
        outer: new FuncArg((v: string) => v, { inject: [Arg('inner')] }).or(new SimpleArg('fallback')),
        inner: needsEnv,
      },
    });
    app.task({ name: 'piped', inject: [Arg('outer')] }, (v: string) => v);
    app.session.get('piped').run();
    await runFor(app, 10);
    expect(app.session.returns.get('piped')).toBe('fallback');
  });
});
