import { ConfigurationError } from '@apogee/core';
import { redis } from './redis';

describe('redis()', () => {
  it('returns only its own keys, to spread into new App', () => {
    expect(Object.keys(redis({ url: 'redis://127.0.0.1:1', name: 'billing' })).sort()).toEqual([
      'fence',
      'leadership',
      'log',
      'relay',
    ]);
  });

  it.each([
    [{ url: 'redis://127.0.0.1:1', name: 'a:b' }, /redis\(\{ name \}\): "a:b" is not valid/],
    [
      { url: 'http://127.0.0.1', name: 'x' },
      /url: "http:\/\/127.0.0.1" is not valid. Expected a URL such as redis:/,
    ],
    [{ url: 'redis://127.0.0.1:1', name: 'x', leaseTtl: '10 parsecs' as never }, /leaseTtl/],
    [
      { url: 'redis://127.0.0.1:1', name: 'x', leaseTtl: 5 },
      /leaseTtl: 5 is not valid. Expected at least 30 ms/,
    ],
    [{ connection: 'nope' as never, name: 'x' }, /either url/],
    [
      { url: 'redis://127.0.0.1:1', connection: {} as never, name: 'x' },
      /redis\(\{ name: 'x' \}\): \{"url":"given","connection":"given"\} is not valid. Expected either url .* or connection .*, not both/,
    ],
  ])('rejects %j with a ConfigurationError naming the input', (options, message) => {
    let caught: unknown;
    try {
      redis(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as Error).message).toMatch(message);
  });
});
