import { fromJsonValue, toJsonValue } from './jsonValue';

class Money {
  constructor(readonly cents: number) {}
}

describe('toJsonValue', () => {
  it('keeps JSON values and Dates, and gives Dates back', () => {
    const when = new Date('2030-01-02T03:04:05.006Z');
    const value = { a: [1, 'two', true, null, { when }], skipped: undefined, nested: { n: 0.5 } };
    const encoded = toJsonValue(value, 'config');
    expect('value' in encoded).toBe(true);
    const back = fromJsonValue(JSON.parse(JSON.stringify((encoded as { value: unknown }).value)));
    expect(back).toEqual({ a: [1, 'two', true, null, { when }], nested: { n: 0.5 } });
    expect(((back as { a: { when: unknown }[] }).a[4] as { when: unknown }).when).toBeInstanceOf(Date);
  });

  it.each([
    ['a BigInt', { amount: 10n }, 'config.amount', 'a BigInt'],
    ['a function', { f: () => 1 }, 'config.f', 'a function'],
    ['a class instance', { price: new Money(5) }, 'config.price', 'an instance of Money'],
    ['undefined inside an array', { list: [1, undefined] }, 'config.list[1]', 'undefined inside an array'],
    ['a number JSON cannot hold', { ratio: Infinity }, 'config.ratio', 'the number Infinity'],
    ['a symbol', { s: Symbol('x') }, 'config.s', 'a symbol'],
  ])('refuses %s, naming where it sits', (_what, value, path, problem) => {
    const encoded = toJsonValue(value, 'config');
    expect(encoded).toMatchObject({ path });
    expect((encoded as { problem: string }).problem).toContain(problem);
  });

  it('refuses a cycle without overflowing, but not a value met twice on separate branches', () => {
    const shared = { id: 1 };
    expect('value' in toJsonValue({ a: shared, b: shared }, 'x')).toBe(true);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(toJsonValue(cyclic, 'x')).toEqual({ path: 'x.self', problem: 'a cycle (it contains itself)' });
  });
});

describe('a __proto__ key in job data', () => {
  it('stays an own property both ways, never the prototype of the argument', () => {
    const given = JSON.parse('{"filter":{"__proto__":{"admin":true}}}') as Record<string, unknown>;
    const encoded = toJsonValue(given, 'params');
    if (!('value' in encoded)) throw new Error(encoded.problem);
    const back = fromJsonValue(JSON.parse(JSON.stringify(encoded.value))) as {
      filter: Record<string, unknown>;
    };
    expect(Object.getPrototypeOf(back.filter)).toBe(Object.prototype);
    expect(back.filter.admin).toBeUndefined();
    expect(Object.hasOwn(back.filter, '__proto__')).toBe(true);
    expect(JSON.stringify(back)).toBe('{"filter":{"__proto__":{"admin":true}}}');
  });
});
