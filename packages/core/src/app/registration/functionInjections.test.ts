import { Arg } from '../../decorators/Arg';
import { Return } from '../../decorators/Return';
import { functionInjections } from './functionInjections';
import type { RegistrationProblem } from './RegistrationProblem';

describe('functionInjections', () => {
  it('maps decorators and bare injections in order', () => {
    const problems: RegistrationProblem[] = [];
    const injections = functionInjections(
      "app.task 't'",
      (_a: unknown, _b: unknown) => undefined,
      [Arg('a'), Return('fetch').injection],
      0,
      problems,
    );
    expect(injections.map((i) => i.decorator)).toEqual(["@Arg('a')", "@Return('fetch')"]);
    expect(problems).toEqual([]);
  });

  it('reports each parameter left with nothing to receive, after the leading ones', () => {
    const problems: RegistrationProblem[] = [];
    functionInjections(
      "app.cond 'c'",
      (_l: unknown, _a: unknown, _b: unknown) => true,
      [Arg('a')],
      1,
      problems,
    );
    expect(problems).toEqual([
      {
        kind: 'usage',
        message: expect.stringContaining("app.cond 'c' parameter #2 has nothing to receive") as string,
      },
    ]);
  });

  it('reports a second argument that is not a function', () => {
    const problems: RegistrationProblem[] = [];
    expect(functionInjections("app.param 'p'", 'nope', [], 0, problems)).toEqual([]);
    expect(problems).toEqual([
      { kind: 'usage', message: "app.param 'p': expected a function as the second argument, got string." },
    ]);
  });
});
