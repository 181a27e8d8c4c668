import 'reflect-metadata';
import { filter, firstValueFrom } from 'rxjs';
import { App } from '../../app/App';
import type { ApogeeWarning } from '../../app/AppConfig';
import type { SchedulerEvent } from '../../scheduler/events/SchedulerEvent';
import type { Instrumentation, InstrumentedRunEnd, InstrumentedRunStart } from './Instrumentation';

jest.setTimeout(30_000);

const ended = (app: App, runId: string): Promise<SchedulerEvent> =>
  firstValueFrom(
    app.events.pipe(
      filter(
        (e) => 'runId' in e && e.runId === runId && (e.type === 'taskSucceeded' || e.type === 'taskFailed'),
      ),
    ),
  );

/** An instrumentation that keeps what it is told and marks the code it enters. */
function recording(
  mark: string,
  seen: string[],
): Instrumentation & {
  starts: InstrumentedRunStart[];
  ends: InstrumentedRunEnd[];
} {
  const starts: InstrumentedRunStart[] = [];
  const ends: InstrumentedRunEnd[] = [];
  return {
    starts,
    ends,
    runStarted(run) {
      starts.push(run);
      return {
        ended: (end) => ends.push(end),
        enter: (fn) => {
          seen.push(`${mark} in`);
          try {
            return fn();
          } finally {
            seen.push(`${mark} out`);
          }
        },
      };
    },
  };
}

async function running(app: App, body: () => Promise<void>): Promise<void> {
  const done = app.run({ handleSignals: false });
  try {
    await body();
  } finally {
    await app.shutdown();
    await done;
  }
}

describe('AppOptions.instrumentation and app.instrument()', () => {
  it('tells each instrumentation of a run start and end, and calls the task inside each one, outermost first', async () => {
    const seen: string[] = [];
    const first = recording('first', seen);
    const second = recording('second', seen);
    const app = new App({ instrumentation: first });
    const remove = app.instrument(second);
    app.task({ name: 'work' }, () => {
      seen.push('task');
      throw new Error('boom');
    });
    await running(app, async () => {
      const runId = app.session.get('work').run();
      await ended(app, runId);
      expect(seen).toEqual(['first in', 'second in', 'task', 'second out', 'first out']);
      expect(first.starts).toEqual([
        {
          taskName: 'work',
          runId,
          execution: 'async',
          scheduledAt: expect.any(Date) as Date,
          start: expect.any(Date) as Date,
          lateness: expect.any(Number) as number,
        },
      ]);
      expect(first.ends).toEqual([
        {
          action: 'fail',
          error: expect.objectContaining({ message: 'boom' }) as Error,
          end: expect.any(Date) as Date,
          duration: expect.any(Number) as number,
        },
      ]);
      expect(first.starts[0]?.lateness).toBe(
        (first.starts[0]?.start.getTime() ?? 0) - (first.starts[0]?.scheduledAt.getTime() ?? 0),
      );
      expect(second.ends.map((e) => e.action)).toEqual(['fail']);
      remove();
      await ended(app, app.session.get('work').run());
      expect(first.starts).toHaveLength(2);
      expect(second.starts).toHaveLength(1);
    });
  });

  it('reports an instrumentation that throws as a warning naming the task; the run goes on', async () => {
    const warnings: ApogeeWarning[] = [];
    const app = new App({
      config: { onWarning: (w) => warnings.push(w) },
      instrumentation: {
        runStarted: () => {
          throw new Error('exporter down');
        },
      },
    });
    app.task({ name: 'sturdy' }, () => 42);
    await running(app, async () => {
      const end = await ended(app, app.session.get('sturdy').run());
      expect(end).toMatchObject({ type: 'taskSucceeded', returnValue: 42 });
    });
    expect(warnings).toEqual([
      {
        code: 'APOGEE_INSTRUMENTATION',
        taskName: 'sturdy',
        message: expect.stringContaining('exporter down') as string,
      },
    ]);
  });

  it('attaches each instrumentation to the app, which it can ask whether it leads', () => {
    let leads: boolean | undefined;
    const app = new App({
      instrumentation: { attach: (a) => (leads = a.isLeader), runStarted: () => undefined },
    });
    expect(leads).toBe(app.isLeader);
  });
});
