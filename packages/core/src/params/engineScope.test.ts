import { ApogeeError } from '../errors/ApogeeError';
import { SimpleArg } from './SimpleArg';
import { EnvArg } from './EnvArg';

describe('engineScope', () => {
  it("refuses a built-in argument's compute() outside a run, naming the argument and scope.resolve as the fix", () => {
    const scope = { taskName: 'x', signal: new AbortController().signal, resolve: () => Promise.resolve(1) };
    const env = new EnvArg('HOME');
    expect(() => env.compute(scope)).toThrow(ApogeeError);
    expect(() => env.compute(scope)).toThrow(
      /Argument .*HOME.* was computed outside a run[\s\S]*scope\.resolve/,
    );
    // An argument that needs nothing of the engine still computes anywhere.
    expect(new SimpleArg(3).compute()).toBe(3);
  });
});
