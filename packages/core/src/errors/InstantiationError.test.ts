import { InstantiationError } from './InstantiationError';

describe('InstantiationError', () => {
  it('blames the loader, not the decorator, when constructor parameter types are missing', () => {
    const error = new InstantiationError('Reports', new Error('TypeInfo not known for "Reports"'));
    expect(error.message).toContain('no constructor parameter types (design:paramtypes)');
    // Under jest, the loader is ts-jest; under `tsx main.ts` the message says tsx.
    expect(error.message).toContain("loaded by the test runner's transformer");
    expect(error.message).toContain('give each constructor parameter its token with @inject(Token)');
  });

  it('suggests @injectable() and the container for other failures', () => {
    const error = new InstantiationError('Reports', new Error('Cannot inject the dependency "db"'));
    expect(error.message).toContain('Fix: mark Reports @injectable()');
    expect(error.message).not.toContain('design:paramtypes');
  });
});
