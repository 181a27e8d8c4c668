import { ConfigurationError } from '../errors/ConfigurationError';
import { validateConfig } from './validateConfig';

describe('validateConfig', () => {
  it('accepts an empty config and valid settings', () => {
    expect(() => {
      validateConfig({});
      validateConfig({ execution: 'thread', maxThreads: 2, maxProcesses: 1, timeout: '5 minutes' });
      validateConfig({ timeout: 'never' });
    }).not.toThrow();
  });

  it.each([
    [{ execution: 'bogus' as 'async' }, /config\.execution: "bogus" is not valid/],
    [{ maxThreads: 0 }, /config\.maxThreads: 0 is not valid\. Expected a whole number of at least 1/],
    [{ maxProcesses: 1.5 }, /config\.maxProcesses: 1\.5 is not valid/],
    [{ timeout: 'soon' as '1 second' }, /config\.timeout: "soon" is not valid/],
  ])('refuses %j', (config, message) => {
    expect(() => {
      validateConfig(config);
    }).toThrow(ConfigurationError);
    expect(() => {
      validateConfig(config);
    }).toThrow(message);
  });
});
