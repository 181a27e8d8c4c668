import { Condition, type Evaluation } from '../../conditions/Condition';
import type { ConditionContext } from '../../conditions/ConditionContext';
import { cond } from '../../conditions/custom/CustomCondition';
import { UnknownConditionError } from '../../errors/UnknownConditionError';
import { calendarFor } from '../../time/Calendar';
import { Signature } from '../../params/Signature';
import { ConditionChecker, RETRY_FAILED_CONDITION, type ConditionCheckerPorts } from './ConditionChecker';
import type { CustomConditionDefinition } from './CustomConditionDefinition';
import { emptyHost, MemoryRecorder, RecordingSink, task } from '../fixtures/fakes';

const NOW = new Date('2026-05-04T08:00:00Z').getTime();

/** A condition that answers with `answer` and remembers the context it was checked in. */
class Probe extends Condition {
  seen: ConditionContext | undefined;
  constructor(private readonly answer: () => Evaluation | Promise<Evaluation>) {
    super();
  }
  evaluate(ctx: ConditionContext): Evaluation | Promise<Evaluation> {
    this.seen = ctx;
    return this.answer();
  }
  toString(): string {
    return 'probe';
  }
}

function checker(overrides: Partial<ConditionCheckerPorts> = {}) {
  const events = new RecordingSink();
  const recorder = new MemoryRecorder();
  const progress = { startedAt: NOW - 5000, cycles: 7 };
  const ports: ConditionCheckerPorts = {
    state: recorder,
    customs: new Map(),
    host: emptyHost(new Map([['region', 'eu']])),
    clock: { now: () => NOW },
    calendar: calendarFor('UTC'),
    events,
    ...overrides,
  };
  const emissions = { pending: () => 3 };
  return { checker: new ConditionChecker(ports, progress, emissions), events, recorder, progress };
}

describe('ConditionChecker', () => {
  it('checks a condition in a context that reads the scheduler, the task states and the session', () => {
    const { checker: c, recorder, progress } = checker();
    recorder.record({ taskName: 'load', action: 'run', created: new Date(NOW - 10), runId: 'r1' });
    const probe = new Probe(() => ({ value: true, next: Infinity }));
    const t = task('t');
    expect(c.check(probe, t)).toEqual({ value: true, next: Infinity });
    const ctx = probe.seen as ConditionContext;
    expect([ctx.now, ctx.taskName, ctx.schedulerStartedAt, ctx.cycles]).toEqual([NOW, 't', NOW - 5000, 7]);
    expect(ctx.state('load').running).toBe(1);
    expect(ctx.sessionParameter('region')).toEqual({ exists: true, value: 'eu' });
    expect(ctx.pendingEmissions({})).toBe(3);
    progress.cycles = 8;
    expect(ctx.cycles).toBe(8);
  });

  it('counts a condition that throws as false, reports it, and checks it again in a second', async () => {
    const { checker: c, events } = checker();
    const thrown = new Error('sensor offline');
    expect(
      c.check(
        new Probe(() => {
          throw thrown;
        }),
        task('t'),
      ),
    ).toEqual({ value: false, next: NOW + RETRY_FAILED_CONDITION });
    await expect(c.check(new Probe(() => Promise.reject(thrown)), undefined)).resolves.toEqual({
      value: false,
      next: NOW + RETRY_FAILED_CONDITION,
    });
    expect(events.events).toEqual([
      { type: 'conditionFailed', taskName: 't', at: new Date(NOW), error: thrown },
      { type: 'conditionFailed', at: new Date(NOW), error: thrown },
    ]);
  });

  it('shares one parsed pattern per distinct cron expression and zone', () => {
    const { checker: c } = checker();
    const cal = c.calendar;
    const ny = calendarFor('America/New_York');
    expect(c.cron('0 3 * * *', cal)).toBe(c.cron('0 3 * * *', cal));
    expect(c.cron('0 3 * * *', cal)).not.toBe(c.cron('0 4 * * *', cal));
    expect(c.cron('0 3 * * *', ny)).not.toBe(c.cron('0 3 * * *', cal));
    expect(c.cron('0 3 * * *', ny)).toBe(c.cron('0 3 * * *', calendarFor('America/New_York')));
  });

  it('evaluates custom conditions with their bound arguments, and polls them at their own interval', async () => {
    const calls: unknown[][] = [];
    const slow: CustomConditionDefinition = {
      name: 'slow',
      owner: 'slow',
      leading: 2,
      signature: Signature.EMPTY,
      poll: 10_000,
      call: (args) => {
        calls.push(args);
        return args[0] === 'yes';
      },
    };
    const { checker: c, events } = checker({ customs: new Map([['slow', slow]]) });
    await expect(c.check(cond('slow', 'yes'), task('t'))).resolves.toMatchObject({ value: true });
    expect(calls).toEqual([['yes', undefined]]);
    expect(c.customPoll('slow')).toBe(10_000);
    expect(c.customPoll('unknown')).toBe(RETRY_FAILED_CONDITION);
    await expect(c.evaluateCustom('unknown', [], undefined)).rejects.toThrow(UnknownConditionError);
    expect(events.events).toEqual([]);
  });

  it('has no emissions for shutdownWhen, which belongs to no task', () => {
    const { checker: c } = checker();
    expect(c.pendingEmissions(undefined, {})).toBe(0);
  });
});
