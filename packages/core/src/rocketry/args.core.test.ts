/**
 * Ported from Rocketry's rocketry/test/args/test_core.py (Miksus/rocketry): `test_pipeline`.
 * Rocketry's `a >> b` is Apogee's `a.or(b)`; `Arg('key')` as a pipe operand is `new
 * SessionArg('key')` (a session parameter); the arguments resolve in a resolution scope as a
 * run's would. Differences on purpose: "no value anywhere" is a `NoValueError` (Rocketry:
 * `KeyError`), and a value that is not an argument is a `ConfigurationError` naming it (Rocketry:
 * `TypeError`), both raised at the same points. `test_equal` (argument equality) has no
 * counterpart: Apogee's arguments are compared by identity.
 */
import { container } from 'tsyringe';
import { ConfigurationError } from '../errors/ConfigurationError';
import { NoValueError } from '../errors/NoValueError';
import { CliArg } from '../params/CliArg';
import { EnvArg } from '../params/EnvArg';
import type { ResolutionHost } from '../params/ResolutionHost';
import { ResolutionScope } from '../params/ResolutionScope';
import { SessionArg } from '../params/SessionArg';

const host: ResolutionHost = {
  sessionParams: new Map<string, unknown>([
    ['found', 'a value'],
    ['not_reached', 'a value 2'],
  ]),
  sessionRef: 'the session',
  container: container.createChildContainer(),
  argv: ['node', 'app.js'],
  env: {},
  findTask: () => undefined,
  taskNames: () => new Set<string>(),
  hasReturn: () => false,
  getReturn: () => undefined,
};
const scope = () =>
  new ResolutionScope(host, { name: 'job' }, 'job', undefined, undefined, new AbortController());

describe('test_pipeline', () => {
  it('takes the first argument in the pipe that finds a value', async () => {
    const comb = new CliArg('--this-is-missing')
      .or(new EnvArg('ROCKETRY_MISSING'))
      .or(new SessionArg('missing'))
      .or(new SessionArg('found'))
      .or(new SessionArg('not_reached'));
    await expect(scope().resolve(comb)).resolves.toBe('a value');
  });

  it('a default at the head of the pipe always wins', async () => {
    const comb = new CliArg('--this-is-missing', { default: 'a value 2' })
      .or(new EnvArg('ROCKETRY_MISSING'))
      .or(new SessionArg('missing'))
      .or(new SessionArg('found'))
      .or(new SessionArg('not_reached'));
    await expect(scope().resolve(comb)).resolves.toBe('a value 2');
  });

  it('finds no value when no argument has one', async () => {
    await expect(
      scope().resolve(new CliArg('--this-is-missing').or(new EnvArg('ROCKETRY_MISSING'))),
    ).rejects.toBeInstanceOf(NoValueError);
  });

  it('refuses a value that is not an argument when the pipe is built', () => {
    expect(() => new CliArg('--this-is-missing', { default: 'a value 2' }).or(4 as never)).toThrow(
      ConfigurationError,
    );
  });
});
