import 'reflect-metadata';
import { runFor } from '@apogee/test-utils';
import { callingRun } from '../execution/callingRun';
import type { RunHandle } from '../execution/RunHandle';
import { App, every, type RunLog, type RunQuery, type RunRecord } from '../index';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-05-04T08:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

/** A run log written before run output existed: records only. */
class LegacyLog implements RunLog {
  readonly stored: RunRecord[] = [];
  append(record: RunRecord): void {
    this.stored.push(record);
  }
  records(_query?: RunQuery): Promise<RunRecord[]> {
    return Promise.resolve([...this.stored]);
  }
  /** A method of its own, reached through `app.logs`. */
  count(): number {
    return this.stored.length;
  }
}

describe('a run log without appendOutput/output', () => {
  it('keeps run output in memory, warning once with the log class named', async () => {
    const warn = jest.fn();
    const log = new LegacyLog();
    const app = new App({ log, config: { logger: { debug() {}, info() {}, warn, error() {} } } });
    app.task({ name: 'report', start: every('1 minute') }, () => {
      const run = callingRun.getStore() as RunHandle;
      run.write({ at: new Date(), level: 'info', message: 'done' });
    });
    const running = await runFor(app, 130_000);
    const runIds = running.events.flatMap((e) => (e.type === 'taskStarted' ? [e.runId] : []));
    expect(runIds).toHaveLength(3);
    for (const runId of runIds)
      expect((await app.logs.output(runId)).map((l) => l.message)).toEqual(['done']);
    const warnings = (warn.mock.calls as unknown[][])
      .map((call) => String(call[0]))
      .filter((m) => m.includes('appendOutput'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('run log LegacyLog has no appendOutput()/output()');
    // The log itself still answers through app.logs, its own methods included.
    expect(app.logs).toBeInstanceOf(LegacyLog);
    expect((app.logs as unknown as LegacyLog).count()).toBe(log.count());
    expect(log.stored.map((r) => r.action)).toContain('success');
  });

  it('leaves a log that keeps output as it is', () => {
    const app = new App();
    expect(typeof app.logs.output).toBe('function');
    const own = new App({ log: app.logs });
    expect(own.logs).toBe(app.logs);
  });
});
