import { captureError } from '@apogee/test-utils';
import { App, every } from '../../index';

describe('settlePolicies', () => {
  it('reports every bad policy of a task at once, naming the task', () => {
    const app = new App();
    const error = captureError(() =>
      app.task(
        {
          name: 'bad',
          start: every('1 minute'),
          overlap: 'wait' as 'skip',
          catchup: 'some' as 'all',
          jitter: 'soon' as '1 second',
          pauseAfterFailures: -1,
        },
        () => undefined,
      ),
    );
    const message = String(error);
    for (const part of [
      'Task "bad" overlap: "wait"',
      'Task "bad" catchup: "some"',
      'Task "bad" jitter',
      'Task "bad" pauseAfterFailures: -1',
    ])
      expect(message).toContain(part);
    expect(app.session.tasks).toHaveLength(0);
  });

  it('lets the task win over config, overlap over multilaunch at each level', () => {
    const app = new App({ config: { multilaunch: true, catchup: 'latest', pauseAfterFailures: 4 } });
    const inherits = app.task({ name: 'inherits' }, () => undefined);
    const own = app.task(
      { name: 'own', overlap: 'replace', catchup: 'none', multilaunch: false },
      () => undefined,
    );
    expect([
      inherits.definition.overlap,
      inherits.definition.catchup,
      inherits.definition.pauseAfterFailures,
    ]).toEqual(['allow', 'latest', 4]);
    expect(own.definition.catchup).toBe('none');
    expect(own.definition.overlap).toBe('replace');
  });
});
