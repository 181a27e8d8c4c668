import { start } from '@apogee/test-utils';
import {
  App,
  any,
  daily,
  every,
  fromParam,
  running,
  timeOfDay,
  type ApogeeWarning,
  type Condition,
} from '../../index';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-05-04T09:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('a start condition with no edge', () => {
  it('warns at registration through config.onWarning, naming the task and the fix', () => {
    const warnings: ApogeeWarning[] = [];
    const app = new App({ config: { onWarning: (w) => warnings.push(w) } });
    const cases: [string, Condition | string][] = [
      ['window', timeOfDay.between('08:00', '20:00')],
      ['string window', 'time of day between 08:00 and 20:00'],
      ['while another runs', running('other')],
      ['either', any(timeOfDay.between('08:00', '20:00'), every('1 hour'))],
      ['window every 10 minutes', timeOfDay.between('08:00', '20:00').and(every('10 minutes'))],
      ['period', daily.between('08:00', '20:00')],
      ['other', every('1 hour')],
    ];
    for (const [name, start] of cases) app.task({ name, start }, () => undefined);
    expect(warnings.map((w) => [w.code, w.taskName])).toEqual([
      ['APOGEE_NO_EDGE', 'window'],
      ['APOGEE_NO_EDGE', 'string window'],
      ['APOGEE_NO_EDGE', 'while another runs'],
      ['APOGEE_NO_EDGE', 'either'],
    ]);
    expect(warnings[0]?.message).toContain('every(');
  });

  it('judges a fromParam schedule by the condition it holds, at registration and when app.params changes it', () => {
    const warnings: ApogeeWarning[] = [];
    const app = new App({
      params: { schedule: 'every 10 minutes' },
      config: { onWarning: (w) => warnings.push(w) },
    });
    app.task({ name: 'configured', start: fromParam('schedule') }, () => undefined);
    app.task({ name: 'later', start: fromParam('notYet') }, () => undefined);
    expect(warnings).toEqual([]);
    app.params({ schedule: 'time of day between 08:00 and 20:00' });
    expect(warnings.map((w) => w.taskName)).toEqual(['configured']);
    expect(warnings[0]?.message).toContain("fromParam('schedule') = time of day between 08:00 and 20:00");
  });

  it('re-runs at most once per minRunGap, while another task and a timer still run', async () => {
    const app = new App({ config: { minRunGap: '10 ms', onWarning: () => undefined } });
    let hot = 0;
    app.task({ name: 'hot', start: timeOfDay.between('08:00', '20:00') }, () => {
      hot++;
    });
    app.task({ name: 'tick', start: every('100 ms') }, () => undefined);
    let timerFired = false;
    setTimeout(() => {
      timerFired = true;
    }, 250);
    const run = await start(app);
    await run.advance(1000);
    await run.stop();
    expect(timerFired).toBe(true);
    expect(hot).toBeGreaterThanOrEqual(95);
    expect(hot).toBeLessThanOrEqual(101);
    expect((await app.logs.records({ taskName: 'tick', action: 'run' })).length).toBe(11);
  });

  it('keeps the default gap of 1 ms: at most about 1,000 runs a second', async () => {
    const app = new App({ config: { onWarning: () => undefined } });
    let hot = 0;
    app.task({ name: 'hot', start: timeOfDay.between('08:00', '20:00') }, () => {
      hot++;
    });
    const run = await start(app);
    await run.advance(1000);
    await run.stop();
    expect(hot).toBeGreaterThan(400);
    expect(hot).toBeLessThanOrEqual(1001);
  });
});
