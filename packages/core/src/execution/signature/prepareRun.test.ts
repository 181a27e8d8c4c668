import { container } from 'tsyringe';
import { ParameterProviderError } from '../../errors/ParameterProviderError';
import type { Injection } from '../../params/Injection';
import { ProviderArg } from '../../params/ProviderArg';
import type { ResolutionHost } from '../../params/ResolutionHost';
import { ResolutionScope } from '../../params/ResolutionScope';
import { Signature } from '../../params/Signature';
import { prepareRun } from './prepareRun';

const key = (k: string): Injection => ({
  kind: 'keyed',
  key: k,
  fallback: undefined,
  decorator: `@Arg('${k}')`,
});

function scopeWith(session: Record<string, unknown>): ResolutionScope {
  const host: ResolutionHost = {
    sessionParams: new Map(Object.entries(session)),
    sessionRef: 'the session',
    container: container.createChildContainer(),
    argv: [],
    env: {},
    findTask: () => undefined,
    taskNames: () => [],
    hasReturn: () => false,
    getReturn: () => undefined,
  };
  return new ResolutionScope(host, { name: 'job' }, 'job', { b: 1 }, undefined, new AbortController());
}

/** A provider without parameters, kept for one run (what `app.param(...)` registers by default). */
const provider = (name: string, fn: () => unknown) => new ProviderArg(name, `P.${name}`, Signature.EMPTY, fn);

const prepare = (keys: string[], scope: ResolutionScope) =>
  prepareRun(Signature.compile(keys.map(key), 'Jobs.run'), scope).then((p) => p.args);

describe('prepareRun with providers', () => {
  it('calls a provider once per run, however many slots need it, sync or async', async () => {
    const calls: string[] = [];
    const session = {
      now: provider('now', () => {
        calls.push('now');
        return 7;
      }),
      later: provider('later', async () => {
        calls.push('later');
        return Promise.resolve(8);
      }),
    };
    await expect(prepare(['now', 'later', 'b', 'now', 'later'], scopeWith(session))).resolves.toEqual([
      7, 8, 1, 7, 8,
    ]);
    expect(calls).toEqual(['now', 'later']);
    await expect(prepare(['later', 'now'], scopeWith(session))).resolves.toEqual([8, 7]);
    expect(calls).toEqual(['now', 'later', 'later', 'now']);
  });

  it('resolves slots in order: a provider after an async one is called once that one has answered', async () => {
    const timeline: string[] = [];
    let answer: (v: number) => void = () => undefined;
    const session = {
      slow: provider('slow', () => {
        timeline.push('slow called');
        return new Promise<number>((resolve) => {
          answer = resolve;
        });
      }),
      fast: provider('fast', () => {
        timeline.push('fast called');
        return 2;
      }),
    };
    const args = prepare(['slow', 'fast'], scopeWith(session));
    await Promise.resolve();
    expect(timeline).toEqual(['slow called']);
    timeline.push('slow answers');
    answer(1);
    await expect(args).resolves.toEqual([1, 2]);
    expect(timeline).toEqual(['slow called', 'slow answers', 'fast called']);
  });

  it('fails with the provider named, whether it throws at once or rejects', async () => {
    const cause = new Error('connection refused');
    for (const fn of [
      () => {
        throw cause;
      },
      () => Promise.reject(cause),
    ]) {
      const error: unknown = await prepare(['b', 'db'], scopeWith({ db: provider('db', fn) })).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ParameterProviderError);
      expect((error as Error).cause).toBe(cause);
      expect((error as Error).message).toContain('"db" (P.db)');
    }
  });
});
