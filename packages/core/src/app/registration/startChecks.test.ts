import { always, App, Arg, Cond, Return, Task, afterSuccess, never } from '../../index';

// References that would fail every run are refused when the app starts, as a whole list.
describe('app.run() refuses', () => {
  it('@Return of a task that does not exist, like afterSuccess of one', async () => {
    class Reports {
      @Task(never)
      report(@Return('nope') rows: unknown): unknown {
        return rows;
      }
    }
    const app = new App({ tasks: [Reports] });
    app.task({ name: 'later', start: afterSuccess('nope') }, () => 1);
    const failure = app.run({ handleSignals: false });
    await expect(failure).rejects.toThrow(
      `Unknown task "nope" (referred to by @Return('nope') of task "report")`,
    );
    await expect(failure).rejects.toThrow(
      `Unknown task "nope" (referred to by the start condition of task "later")`,
    );
  });

  it('@Return of a task registered after the one that reads it is fine', async () => {
    const app = new App({ config: { shutdownWhen: always } });
    app.task({ name: 'report', start: never, inject: [Return('fetch')] }, (rows: unknown) => rows);
    app.task({ name: 'fetch', start: never }, () => 1);
    await expect(app.run({ handleSignals: false })).resolves.toBeUndefined();
  });
});

describe('a custom condition with bound parameters', () => {
  class Files {
    @Cond('file exists')
    exists(path: string, @Arg('root', '/') root: string): boolean {
      return `${root}${path}`.length > 0;
    }

    @Cond('file exists or default')
    existsOrDefault(path = 'data.csv', @Arg('root', '/') root = '/'): boolean {
      return `${root}${path}`.length > 0;
    }
  }

  it('named in a string, where it gets no arguments, is refused when the app starts', async () => {
    const app = new App({ tasks: [Files] });
    app.task({ name: 'load', start: 'file exists & every 1 hour' }, () => 1);
    const failure = app.run({ handleSignals: false });
    await expect(failure).rejects.toThrow('cond(\'file exists\', ...) in the start condition of task "load"');
    await expect(failure).rejects.toThrow('give the parameters defaults');
  });

  it('is accepted in a string when its bound parameters have defaults', async () => {
    const app = new App({ tasks: [Files], config: { shutdownWhen: always } });
    app.task({ name: 'load', start: 'file exists or default & every 1 hour' }, () => 1);
    await expect(app.run({ handleSignals: false })).resolves.toBeUndefined();
  });
});
