import type { ControlClient } from './ControlClient';
import { followRun } from './followRun';
import { useFakeClock } from '@apogee/test-utils';

useFakeClock(0);

/**
 * A control client whose event stream is written by the test: each event is delivered after the
 * clock moved by its `after` milliseconds.
 */
function client(events: { after: number; type: string; data: Record<string, unknown> }[]): ControlClient {
  return {
    url: 'http://app.test',
    request: () => Promise.resolve({ runId: 'r1' }),
    openEvents: () =>
      Promise.resolve(
        (async function* () {
          await Promise.resolve();
          for (const { after, type, data } of events) {
            jest.advanceTimersByTime(after);
            yield { type, data: { taskName: 'load', runId: 'r1', ...data } };
          }
        })(),
      ),
  } as unknown as ControlClient;
}

function output(): { out: string[]; line: string[]; io: { out(l: string): void; line(l: string): void } } {
  const out: string[] = [];
  const line: string[] = [];
  return { out, line, io: { out: (l) => out.push(l), line: (l) => line.push(l) } };
}

describe('followRun', () => {
  it('counts the time from the start of the run, not from when it was queued', async () => {
    const { out, io } = output();
    const api = client([
      { after: 3000, type: 'taskStarted', data: {} },
      { after: 5600, type: 'taskSucceeded', data: { returnValue: 4 } },
    ]);
    expect(await followRun(api, 'load', {}, io, false)).toBe(0);
    expect(out).toEqual(['load r1 succeeded in 5.6 s: 4']);
  });

  it('writes a failure and a termination to the outcome, the queued line to the progress', async () => {
    const failed = output();
    const failing = client([
      { after: 0, type: 'taskStarted', data: {} },
      { after: 1200, type: 'taskFailed', data: { error: { message: 'disk full' } } },
    ]);
    expect(await followRun(failing, 'load', {}, failed.io, false)).toBe(5);
    expect(failed.out).toEqual(['load r1 failed after 1.2 s: disk full']);
    expect(failed.line).toEqual([
      'queued run r1 of load; waiting for it to end (Ctrl-C stops waiting, not the run)',
    ]);
    const terminated = output();
    const stopped = client([
      { after: 0, type: 'taskStarted', data: {} },
      { after: 700, type: 'taskTerminated', data: { reason: 'terminated by task.terminate()' } },
    ]);
    expect(await followRun(stopped, 'load', {}, terminated.io, false)).toBe(6);
    expect(terminated.out).toEqual(['load r1 was terminated after 0.7 s: terminated by task.terminate()']);
  });
});
