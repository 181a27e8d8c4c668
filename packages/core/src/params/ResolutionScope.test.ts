import { inspect } from 'node:util';
import { container } from 'tsyringe';
import { MissingParameterError } from '../errors/MissingParameterError';
import { NoValueError } from '../errors/NoValueError';
import { ParameterCycleError } from '../errors/ParameterCycleError';
import { ParameterProviderError } from '../errors/ParameterProviderError';
import { ParameterResolutionError } from '../errors/ParameterResolutionError';
import { UnknownTaskError } from '../errors/UnknownTaskError';
import { CliArg } from './CliArg';
import { EnvArg } from './EnvArg';
import { FuncArg } from './FuncArg';
import type { Injection } from './Injection';
import type { Parameters } from './levels';
import { Private } from './Private';
import { Signature } from './Signature';
import { ProviderArg } from './ProviderArg';
import type { ResolutionHost } from './ResolutionHost';
import { ResolutionScope } from './ResolutionScope';
import { ReturnArg } from './ReturnArg';
import { SessionArg } from './SessionArg';
import { SimpleArg } from './SimpleArg';

const key = (k: string, fallback?: unknown): Injection => ({
  kind: 'keyed',
  key: k,
  fallback,
  decorator: `@Arg('${k}')`,
});

function host(session: Record<string, unknown> = {}, extra: Partial<ResolutionHost> = {}): ResolutionHost {
  const returns = new Map<string, unknown>([['producer', 42]]);
  const tasks = new Set(['producer', 'never_returned']);
  return {
    sessionParams: new Map(Object.entries(session)),
    sessionRef: 'the session',
    container: container.createChildContainer(),
    argv: ['node', 'app.js', '--env', 'prod', '--level=3'],
    env: { HOME_DIR: '/home/ada' },
    findTask: (name) => (tasks.has(name) ? { name } : undefined),
    taskNames: () => tasks,
    hasReturn: (name) => returns.has(name),
    getReturn: (name) => returns.get(name),
    ...extra,
  };
}

function scope(h: ResolutionHost, batch?: Parameters, taskParams?: Parameters): ResolutionScope {
  return new ResolutionScope(h, { name: 'job' }, 'job', batch, taskParams, new AbortController());
}

describe('ResolutionScope', () => {
  describe('levels', () => {
    const site = { owner: 'Jobs.run', index: 0, taskName: 'job' };

    it('takes batch over task over function over session', async () => {
      const h = host({ x: 'session' });
      await expect(scope(h, { x: 'batch' }, { x: 'task' }).resolveKey('x', 'function', site)).resolves.toBe(
        'batch',
      );
      await expect(scope(h, {}, { x: 'task' }).resolveKey('x', 'function', site)).resolves.toBe('task');
      await expect(scope(h, {}, {}).resolveKey('x', 'function', site)).resolves.toBe('function');
      await expect(scope(h, {}, {}).resolveKey('x', undefined, site)).resolves.toBe('session');
    });

    it('overrides only equal keys, so one run can use keys from all four levels', async () => {
      const s = scope(host({ d: 'session-d', a: 'session-a' }), { a: 'batch-a' }, { b: 'task-b' });
      const values = await s.resolveInjections(
        [key('a'), key('b'), key('c', 'function-c'), key('d')],
        'Jobs.run',
      );
      expect(values).toEqual(['batch-a', 'task-b', 'function-c', 'session-d']);
    });

    it('keeps a stored undefined as a value rather than falling through', async () => {
      await expect(
        scope(host({ x: 'session' }), { x: undefined }).resolveKey('x', undefined, site),
      ).resolves.toBeUndefined();
    });

    it('names the task, key, position and levels when nothing provides a key', async () => {
      const error = await scope(host())
        .resolveKey('db_url', undefined, site)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MissingParameterError);
      const message = (error as Error).message;
      expect(message).toContain('Cannot resolve parameter "db_url" (parameter #0 of Jobs.run, task "job")');
      expect(message).toContain('Looked in: batch -> task -> function -> session; found in none.');
      expect(message).toContain('task.run({ db_url })');
      expect(message).toContain('app.params({ db_url })');
      expect((error as MissingParameterError).code).toBe('MISSING_PARAMETER');
    });
  });

  describe('laziness and memoization', () => {
    it('computes only the keys injected: 2 used of 10 session providers run 2 providers', async () => {
      const calls = new Map<string, number>();
      const session: Record<string, unknown> = {};
      for (let i = 0; i < 10; i++) {
        session[`p${i}`] = new FuncArg(() => {
          calls.set(`p${i}`, (calls.get(`p${i}`) ?? 0) + 1);
          return i;
        });
      }
      const values = await scope(host(session)).resolveInjections([key('p3'), key('p7')], 'Jobs.run');
      expect(values).toEqual([3, 7]);
      expect([...calls.entries()]).toEqual([
        ['p3', 1],
        ['p7', 1],
      ]);
    });

    it('runs a provider needed twice in one run once, and again in the next run', async () => {
      let calls = 0;
      const shared = new FuncArg(() => ++calls);
      const h = host({
        shared,
        left: new FuncArg((v: number) => `left ${v}`, { inject: [key('shared')] }),
        right: new FuncArg((v: number) => `right ${v}`, { inject: [key('shared')] }),
      });
      await expect(
        scope(h).resolveInjections([key('left'), key('right'), key('shared')], 'Jobs.run'),
      ).resolves.toEqual(['left 1', 'right 1', 1]);
      await expect(scope(h).resolveInjections([key('shared')], 'Jobs.run')).resolves.toEqual([2]);
      expect(calls).toBe(2);
    });

    it('awaits async providers and resolves nested parameters', async () => {
      const h = host({ a: new SessionArg('b'), b: new FuncArg(async () => Promise.resolve(5)) });
      await expect(scope(h).resolveInjections([key('a')], 'Jobs.run')).resolves.toEqual([5]);
    });

    it('keeps a session-cached provider across runs and retries it after a failure', async () => {
      let calls = 0;
      const provider = new ProviderArg(
        'conn',
        'Db.conn',
        Signature.EMPTY,
        () => {
          calls++;
          if (calls === 1) throw new Error('db down');
          return `conn ${calls}`;
        },
        'session',
      );
      const h = host({ conn: provider });
      await expect(scope(h).resolveInjections([key('conn')], 'Jobs.run')).rejects.toThrow(
        ParameterProviderError,
      );
      await expect(scope(h).resolveInjections([key('conn')], 'Jobs.run')).resolves.toEqual(['conn 2']);
      await expect(scope(h).resolveInjections([key('conn')], 'Jobs.run')).resolves.toEqual(['conn 2']);
      expect(calls).toBe(2);
    });
  });

  describe('cycles', () => {
    it('reports a session-argument loop as its chain', async () => {
      const h = host({ a: new SessionArg('b'), b: new SessionArg('a') });
      const error = await scope(h)
        .resolveInjections([key('a')], 'Jobs.run')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParameterCycleError);
      expect((error as ParameterCycleError).chain).toEqual(['a', 'b', 'a']);
      expect((error as Error).message).toContain('a -> b -> a');
    });

    it('reports a key that refers to itself', async () => {
      const error = await scope(host({ a: new SessionArg('a') }))
        .resolveInjections([key('a')], 'Jobs.run')
        .catch((e: unknown) => e);
      expect((error as ParameterCycleError).chain).toEqual(['a', 'a']);
    });

    it('reports mutually dependent providers without overflowing the stack', async () => {
      const p = new ProviderArg('p', 'P.p', Signature.compile([key('q')], 'P.p'), ([q]) => q);
      const q = new ProviderArg('q', 'P.q', Signature.compile([key('p')], 'P.q'), ([v]) => v);
      const error = await scope(host({ p, q }))
        .resolveInjections([key('p')], 'Jobs.run')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParameterCycleError);
      expect((error as ParameterCycleError).chain).toEqual(['p', 'q', 'p']);
    });

    it('does not take two siblings needing the same key for a cycle', async () => {
      const h = host({ base: 1, x: new SessionArg('base'), y: new SessionArg('base') });
      await expect(scope(h).resolveInjections([key('x'), key('y')], 'Jobs.run')).resolves.toEqual([1, 1]);
    });
  });

  describe('failure chains', () => {
    it("wraps a failure from a provider's own parameter, naming which parameter needed which", async () => {
      const dbUrl = new ProviderArg(
        'db_url',
        'Params.dbUrl',
        Signature.compile([key('db_host')], 'Params.dbUrl'),
        ([h]) => h,
      );
      const error = await scope(host({ db_url: dbUrl }))
        .resolveInjections([key('region', 'eu'), key('db_url')], 'Jobs.load')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParameterResolutionError);
      expect((error as ParameterResolutionError).site).toEqual({
        owner: 'Jobs.load',
        index: 1,
        taskName: 'job',
      });
      expect((error as Error).message).toMatch(
        /^Cannot resolve parameter "db_url" \(parameter #1 of Jobs\.load, task "job"\): Jobs\.load <- db_url <- db_host\. Reason:\n {4}Cannot resolve parameter "db_host" \(parameter #0 of Params\.dbUrl, task "job"\)/,
      );
      expect((error as Error).cause).toBeInstanceOf(MissingParameterError);
    });

    it('names an argument injection by its label', async () => {
      const connect = new FuncArg(
        function connect(url: string) {
          return url;
        },
        { inject: [key('db_url')] },
      );
      const error = await scope(host())
        .resolveInjection(
          { kind: 'argument', argument: connect, decorator: '@Inject(x)' },
          { owner: 'Jobs.run', index: 0 },
        )
        .catch((e: unknown) => e);
      expect((error as ParameterResolutionError).chain).toEqual(['FuncArg(connect)', 'db_url']);
    });

    it('leaves a failure of the parameter itself and a cycle unwrapped', async () => {
      await expect(scope(host()).resolveInjections([key('absent')], 'Jobs.run')).rejects.toThrow(
        MissingParameterError,
      );
      const p = new ProviderArg('p', 'P.p', Signature.compile([key('p')], 'P.p'), ([v]) => v);
      await expect(scope(host({ p })).resolveInjections([key('p')], 'Jobs.run')).rejects.toThrow(
        ParameterCycleError,
      );
    });
  });

  describe('arguments', () => {
    it('reads environment variables and command-line flags in both forms', async () => {
      const s = scope(host());
      await expect(s.resolve(new EnvArg('HOME_DIR'))).resolves.toBe('/home/ada');
      await expect(s.resolve(new CliArg('--env'))).resolves.toBe('prod');
      await expect(s.resolve(new CliArg('--level'))).resolves.toBe('3');
      await expect(s.resolve(new EnvArg('NOPE', { default: 'd' }))).resolves.toBe('d');
      await expect(s.resolve(new EnvArg('NOPE'))).rejects.toThrow(NoValueError);
    });

    it('reads return values, with "never returned" as no value and an unknown task as an error', async () => {
      const s = scope(host());
      await expect(s.resolve(new ReturnArg('producer'))).resolves.toBe(42);
      await expect(s.resolve(new ReturnArg('never_returned'))).rejects.toThrow(NoValueError);
      await expect(s.resolve(new ReturnArg('never_returned', { default: [] }))).resolves.toEqual([]);
      await expect(s.resolve(new ReturnArg('prodcuer'))).rejects.toThrow(
        /Unknown task "prodcuer".*Did you mean "producer"/,
      );
    });

    it('pipes with .or(): only "no value" moves on', async () => {
      const s = scope(host());
      await expect(s.resolve(new EnvArg('NOPE').or(new CliArg('--env')))).resolves.toBe('prod');
      await expect(
        s.resolve(new EnvArg('NOPE').or(new CliArg('--nope')).or(new SimpleArg('last'))),
      ).resolves.toBe('last');
      await expect(s.resolve(new EnvArg('NOPE').or(new CliArg('--nope')))).rejects.toThrow(
        /No argument in Env\(NOPE\) \| Cli\(--nope\)/,
      );
      await expect(s.resolve(new ReturnArg('missing_task').or(new SimpleArg(1)))).rejects.toThrow(
        UnknownTaskError,
      );
      const failing = new FuncArg(() => {
        throw new Error('boom');
      });
      await expect(s.resolve(failing.or(new SimpleArg(1)))).rejects.toThrow(ParameterProviderError);
    });

    it('wraps a throwing provider, keeping its error as cause', async () => {
      const original = new Error('connection refused');
      const error = await scope(
        host({
          db: new FuncArg(function connect() {
            throw original;
          }),
        }),
      )
        .resolveInjections([key('db')], 'Jobs.run')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParameterProviderError);
      expect((error as Error).cause).toBe(original);
      expect((error as Error).message).toContain(
        'FuncArg(connect) threw while resolving task "job": connection refused',
      );
    });

    it('hands Private values over intact but prints them masked', async () => {
      const secret = new Private('hunter2');
      await expect(scope(host({ pw: secret })).resolveInjections([key('pw')], 'Jobs.run')).resolves.toEqual([
        'hunter2',
      ]);
      expect(String(secret)).toBe('*****');
      expect(JSON.stringify({ pw: secret })).toBe('{"pw":"*****"}');
      expect(inspect({ pw: secret })).toBe('{ pw: Private(*****) }');
    });
  });
});
