import { App, afterSuccess, daily, every } from '@apogee/core';

describe('my schedule', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-01-05T07:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  it('fetches every 10 minutes and reports once after 08:00', async () => {
    const app = new App({ config: { timezone: 'UTC' } });
    app.task({ name: 'fetch', start: every('10 minutes') }, () => 'data');
    app.task({ name: 'store', start: afterSuccess('fetch') }, () => undefined);
    app.task({ name: 'report', start: daily.after('08:00') }, () => undefined);

    const done = app.run({ handleSignals: false });
    await jest.advanceTimersByTimeAsync(2 * 60 * 60 * 1000); // two hours
    await app.shutdown();
    await done;

    const runs = await app.logs.records({ action: 'success' });
    expect(runs.filter((r) => r.taskName === 'fetch')).toHaveLength(13);
    expect(runs.filter((r) => r.taskName === 'store')).toHaveLength(13);
    expect(runs.filter((r) => r.taskName === 'report').map((r) => r.created)).toEqual([
      new Date('2026-01-05T08:00:00Z'),
    ]);
  });
});
