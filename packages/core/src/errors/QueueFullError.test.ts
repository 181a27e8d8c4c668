import { App, ApogeeError, QueueFullError, never } from '../index';

describe('QueueFullError', () => {
  it('is thrown by task.run() once maxBatches runs wait, and nothing more is queued', () => {
    const app = new App();
    const task = app.task({ name: 'upload', start: never, maxBatches: 2 }, () => undefined);
    task.run({ file: 'a' });
    task.run({ file: 'b' });
    let thrown: unknown;
    try {
      task.run({ file: 'c' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QueueFullError);
    expect(ApogeeError.is(thrown) && thrown.code).toBe('QUEUE_FULL');
    expect((thrown as QueueFullError).message).toMatch(
      /Task "upload" already has 2 runs waiting \(its maxBatches is 2\).*\nFix: .*config\.maxBatches/,
    );
    expect(task.batches).toEqual([{ file: 'a' }, { file: 'b' }]);
  });

  it('bounds every task at config.maxBatches, itself 1000 by default', () => {
    const app = new App();
    const open = app.task({ name: 'open', start: never }, () => undefined);
    for (let i = 0; i < 1000; i++) open.run();
    expect(() => {
      open.run();
    }).toThrow(QueueFullError);
    const configured = new App({ config: { maxBatches: 3 } });
    const task = configured.task({ name: 't', start: never }, () => undefined);
    for (let i = 0; i < 3; i++) task.run();
    expect(() => {
      task.run();
    }).toThrow(/its maxBatches is 3/);
  });

  it('refuses a maxBatches that is not a whole number of at least 1', () => {
    expect(() => new App({ config: { maxBatches: 0 } })).toThrow(/config\.maxBatches: 0 is not valid/);
    expect(() => new App().task({ name: 'bad', maxBatches: 1.5 }, () => undefined)).toThrow(
      /Task "bad": maxBatches 1.5 is not valid/,
    );
  });
});
