import { ApogeeError } from './ApogeeError';
import { MissingParameterError } from './MissingParameterError';
import { ParameterResolutionError } from './ParameterResolutionError';

describe('ParameterResolutionError', () => {
  const missing = new MissingParameterError(
    'db_host',
    { owner: 'Params.dbUrl', index: 0, taskName: 'load' },
    ['batch', 'session'],
  );

  it('names the site and the chain, and nests the reason indented', () => {
    const error = new ParameterResolutionError(
      'db_url',
      { owner: 'Jobs.load', index: 1, taskName: 'load' },
      ['db_url', 'db_host'],
      missing,
    );
    expect(error.message).toBe(
      'Cannot resolve parameter "db_url" (parameter #1 of Jobs.load, task "load"): Jobs.load <- db_url <- db_host. Reason:\n' +
        missing.message.replace(/^/gm, '    '),
    );
    expect(error).toMatchObject({ code: 'PARAMETER_RESOLUTION_FAILED', key: 'db_url', taskName: 'load' });
    expect(error.chain).toEqual(['db_url', 'db_host']);
    expect(error.cause).toBe(missing);
    expect(ApogeeError.is(error)).toBe(true);
  });

  it('finds the root cause through nested links', () => {
    const inner = new ParameterResolutionError('b', { owner: 'P.a', index: 0 }, ['b', 'c'], missing);
    const outer = new ParameterResolutionError('a', { owner: 'Jobs.run', index: 0 }, ['a', 'b', 'c'], inner);
    expect(outer.rootCause).toBe(missing);
    expect(outer.message.split('\n')[0]).toBe(
      'Cannot resolve parameter "a" (parameter #0 of Jobs.run): Jobs.run <- a <- b <- c. Reason:',
    );
  });
});
