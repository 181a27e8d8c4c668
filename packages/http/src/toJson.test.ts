import { Private } from '@apogee/core';
import { toJson } from './toJson';

describe('toJson', () => {
  it('writes an object met twice each time, not as a cycle', () => {
    const shared = { region: 'eu', tags: ['a'] };
    const parsed = JSON.parse(toJson({ first: shared, second: shared, list: [shared, shared] })) as unknown;
    expect(parsed).toEqual({ first: shared, second: shared, list: [shared, shared] });
  });

  it('writes only an object inside itself as "[circular]"', () => {
    const node: Record<string, unknown> = { name: 'root' };
    node.self = node;
    node.child = { parent: node, sibling: { name: 'leaf' } };
    expect(JSON.parse(toJson(node))).toEqual({
      name: 'root',
      self: '[circular]',
      child: { parent: '[circular]', sibling: { name: 'leaf' } },
    });
  });

  it('writes a cycle through an array as "[circular]"', () => {
    const list: unknown[] = [1];
    list.push(list);
    expect(toJson(list)).toBe('[1,"[circular]"]');
  });

  it('writes errors, private values, bigints and functions as descriptions', () => {
    const error = Object.assign(new TypeError('bad'), { code: 'E_BAD' });
    expect(
      JSON.parse(toJson({ error, again: error, secret: new Private('x'), n: 10n, f: function named() {} })),
    ).toEqual({
      error: { name: 'TypeError', message: 'bad', code: 'E_BAD' },
      again: { name: 'TypeError', message: 'bad', code: 'E_BAD' },
      secret: '*****',
      n: '10',
      f: '[function named]',
    });
  });

  it('cuts nesting past 100 levels instead of overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const text = toJson(deep);
    expect(text).toContain('"[too deep]"');
    expect(text).not.toContain('bottom');
    let shallow: unknown = 'bottom';
    for (let i = 0; i < 99; i++) shallow = [shallow];
    expect(toJson(shallow)).toContain('bottom');
  });
});
