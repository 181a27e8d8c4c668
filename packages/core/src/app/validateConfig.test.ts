import { ConfigurationError } from '../errors/ConfigurationError';
import { validateConfig } from './validateConfig';

describe('validateConfig', () => {
  it('accepts an empty config and valid settings', () => {
    expect(() => {
      validateConfig({});
      validateConfig({ execution: 'thread', maxThreads: 2, maxProcesses: 1, timeout: '5 minutes' });
      validateConfig({ timeout: 'never' });
      validateConfig({ overlap: 'queue', catchup: 'all', catchupWindow: '6 hours', jitter: '1 minute' });
      validateConfig({ multilaunch: true, overlap: 'allow', pauseAfterFailures: 3, minRunGap: 0 });
    }).not.toThrow();
  });

  it.each([
    [{ execution: 'bogus' as 'async' }, /config\.execution: "bogus" is not valid/],
    [{ maxThreads: 0 }, /config\.maxThreads: 0 is not valid\. Expected a whole number of at least 1/],
    [{ maxProcesses: 1.5 }, /config\.maxProcesses: 1\.5 is not valid/],
    [{ timeout: 'soon' as '1 second' }, /config\.timeout: "soon" is not valid/],
    [
      { overlap: 'wait' as 'skip' },
      /config overlap: "wait" is not valid\. Expected 'skip', 'queue', 'replace' or 'allow'/,
    ],
    [
      { multilaunch: true, overlap: 'skip' as const },
      /config multilaunch: true is not valid\. .*overlap 'skip'/,
    ],
    [{ catchup: 'some' as 'all' }, /config catchup: "some" is not valid/],
    [{ pauseAfterFailures: 0 }, /config pauseAfterFailures: 0 is not valid/],
    [{ minRunGap: 'a bit' as '1 ms' }, /config\.minRunGap/],
  ])('refuses %j', (config, message) => {
    expect(() => {
      validateConfig(config);
    }).toThrow(ConfigurationError);
    expect(() => {
      validateConfig(config);
    }).toThrow(message);
  });
});
