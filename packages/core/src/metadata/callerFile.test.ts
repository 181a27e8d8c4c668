import { readClassMetadata } from './ClassMetadata';
import { Task } from '../decorators/Task';
import { callerFile } from './callerFile';

describe('callerFile', () => {
  it('is the file that called the given function', () => {
    function probe(): string | undefined {
      return callerFile(probe);
    }
    expect(probe()).toBe(__filename);
  });

  it('records the module that applies @Task, past the decorator helpers', () => {
    class Jobs {
      @Task()
      one() {}
    }
    @Task()
    class Single {
      run() {}
    }
    expect(readClassMetadata(Jobs)?.declaredIn).toBe(__filename);
    expect(readClassMetadata(Single)?.declaredIn).toBe(__filename);
  });
});
