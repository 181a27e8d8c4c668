import { captureError } from '@apogee/test-utils';
import { ApogeeError } from '../errors/ApogeeError';
import { ConfigurationError } from '../errors/ConfigurationError';
import { SimpleArg } from './SimpleArg';
import { EnvArg } from './EnvArg';

describe('Argument.or', () => {
  it('refuses a value that is not an argument when the pipe is built, naming the value', () => {
    const build = () => new SimpleArg(1).or(4 as never);
    expect(build).toThrow(ConfigurationError);
    expect(build).toThrow(/\.or\(\.\.\.\): 4 is not valid\. Expected an argument such as new SimpleArg\(4\)/);
    const error = captureError(build);
    expect(ApogeeError.is(error) && error.code).toBe('INVALID_CONFIGURATION');
    expect(() => new EnvArg('PORT').or((() => 8080) as never)).toThrow(/"\(\) => 8080" is not valid/);
    expect(() => new EnvArg('PORT').or(undefined as never)).toThrow(/"undefined" is not valid/);
  });
});
