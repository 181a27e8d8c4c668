import { runInNewContext } from 'node:vm';
import { findUncloneable } from './findUncloneable';

describe('findUncloneable', () => {
  it('accepts what structured clone reproduces, cycles included', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    const value = {
      list: [1, 'two', null, undefined, 3n, true],
      when: new Date(0),
      pattern: /x/g,
      map: new Map<unknown, unknown>([['k', new Set([1])]]),
      bytes: new Uint8Array(2),
      buffer: new ArrayBuffer(4),
      error: new RangeError('r', { cause: new Error('c') }),
      bare: Object.create(null) as object,
      cyclic,
    };
    expect(findUncloneable(value, 'value')).toBeUndefined();
  });

  it('accepts plain data from another realm (a worker, a vm context)', () => {
    const foreign = runInNewContext('({ a: [1, { b: new Date(0) }], m: new Map([[1, 2]]) })') as unknown;
    expect(findUncloneable(foreign, 'value')).toBeUndefined();
  });

  it.each([
    [{ a: { b: () => 1 } }, 'opts.a.b', 'a function'],
    [[0, Symbol('s')], 'opts[1]', 'a symbol'],
    [{ 'odd key': new (class Db {})() }, 'opts["odd key"]', 'an instance of class Db'],
    [new Map([['k', () => 1]]), 'opts.get("k")', 'a function'],
    [new Set([Promise.resolve()]), 'opts.values()[0]', 'an instance of class Promise'],
    [{ data: Buffer.from('x') }, 'opts.data', 'a Buffer'],
    [new (class Special extends Error {})('x'), 'opts', 'an instance of class Special'],
    [new URL('https://example.com'), 'opts', 'an instance of class URL'],
  ])('names the spot of %p', (value, path, problem) => {
    const found = findUncloneable(value, 'opts');
    expect(found?.path).toBe(path);
    expect(found?.problem).toContain(problem);
  });

  it('walks deep data without overflowing the stack', () => {
    let deep: Record<string, unknown> = { leaf: () => 1 };
    for (let i = 0; i < 100_000; i++) deep = { next: deep };
    expect(findUncloneable(deep, 'v')?.problem).toBe('a function');
  });
});
