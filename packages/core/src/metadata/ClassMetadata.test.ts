import { Arg } from '../decorators/Arg';
import { Task } from '../decorators/Task';
import { readClassMetadata } from './ClassMetadata';

describe('ClassMetadata', () => {
  it('records a static member decorator on its class as a misuse, never on Function', () => {
    class Jobs {
      @Task()
      static job(@Arg('x') _x: unknown) {}
    }
    const meta = readClassMetadata(Jobs);
    expect(meta?.methods.size).toBe(0);
    expect(meta?.misuses).toEqual([
      { decorator: "@Arg('x')", key: 'job', member: 'static method', index: 0 },
      { decorator: '@Task', key: 'job', member: 'static method' },
    ]);
    expect(readClassMetadata(Function)).toBeUndefined();
  });

  it('records a role on an instance method, and a misuse on a property or accessor', () => {
    class Jobs {
      @Task()
      prop: unknown;
      @Task()
      get value() {
        return 1;
      }
      @Task()
      method() {}
    }
    const meta = readClassMetadata(Jobs);
    expect([...(meta?.methods.keys() ?? [])]).toEqual(['method']);
    expect(meta?.misuses.map((m) => [m.key, m.member])).toEqual([
      ['prop', 'property'],
      ['value', 'accessor'],
    ]);
  });
});
