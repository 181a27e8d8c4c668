import { ConfigurationError } from '@apogee/core';
import { postgres } from './postgres';

const url = 'postgres://127.0.0.1:1/db';

describe('postgres()', () => {
  it('returns only its own keys, to spread into new App', () => {
    expect(Object.keys(postgres({ url, name: 'billing' })).sort()).toEqual([
      'fence',
      'leadership',
      'log',
      'relay',
    ]);
  });

  it.each([
    [{ url, name: '' }, /postgres\(\{ name \}\): "" is not valid/],
    [
      { url: 'http://127.0.0.1', name: 'x' },
      /url: "http:\/\/127.0.0.1" is not valid. Expected a URL such as postgres:/,
    ],
    [{ url, name: 'x', leaseTtl: '10 parsecs' as never }, /leaseTtl/],
    [{ url, name: 'x', leaseTtl: 5 }, /leaseTtl: 5 is not valid. Expected at least 30 ms/],
    [
      { url, name: 'x', schema: 'Drop Table' },
      /schema: "Drop Table" is not valid. Expected a lower-case SQL identifier/,
    ],
    [{ url, name: 'x', retention: { perTask: 0 } }, /retention.perTask: 0 is not valid/],
    [{ url, name: 'x', secret: 'short' }, /secret: .* is not valid/],
    [{ pool: 'nope' as never, name: 'x' }, /either url .* or pool/],
    [
      { url, pool: {} as never, name: 'x' },
      /postgres\(\{ name: 'x' \}\): \{"url":"given","pool":"given"\} is not valid. Expected either url .* or pool .*, not both/,
    ],
  ])('rejects %j with a ConfigurationError naming the input', (options, message) => {
    let caught: unknown;
    try {
      postgres(options);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as Error).message).toMatch(message);
  });
});
