import { afterSuccess } from '../../conditions/task/afterSuccess';
import { Signature } from '../../params/Signature';
import { never } from '../../conditions/constants';
import { ConditionSyntaxError } from '../../errors/ConditionSyntaxError';
import { ConfigurationError } from '../../errors/ConfigurationError';
import type { TaskOptions } from '../../metadata/TaskOptions';
import { SettledTask } from '../../scheduler/task/SettledTask';
import type { TaskDefinition } from '../../scheduler/task/TaskDefinition';
import { defineTask, type TaskSpec } from './defineTask';
import type { RegistrationProblem } from './RegistrationProblem';

const spec = (options: TaskOptions): TaskSpec => ({
  name: 'job',
  owner: 'Jobs.job',
  options,
  signature: Signature.EMPTY,
  invoke: () => undefined,
  origin: { kind: 'function', fn: () => undefined },
});

describe('defineTask', () => {
  it('settles defaults from the config, then from Apogee', () => {
    const problems: RegistrationProblem[] = [];
    const def = defineTask(spec({}), { timeout: '1 minute', multilaunch: true }, new Set(), problems);
    expect(problems).toEqual([]);
    expect(def).toMatchObject({
      name: 'job',
      owner: 'Jobs.job',
      start: never,
      end: undefined,
      execution: 'async',
      target: undefined,
      priority: 0,
      timeout: 60_000,
      multilaunch: true,
      disabled: false,
    });
    expect(defineTask(spec({ timeout: 'never' }), {}, new Set(), problems).timeout).toBe(Infinity);
    expect(defineTask(spec({}), {}, new Set(), problems).timeout).toBe(30 * 60_000);
  });

  it('parses condition strings, knowing the given custom condition names', () => {
    const problems: RegistrationProblem[] = [];
    const def = defineTask(
      spec({ start: 'is ready & every 1 minute', end: afterSuccess('x') }),
      {},
      new Set(['is ready']),
      problems,
    );
    expect(problems).toEqual([]);
    expect(def.start.toString()).toBe('is ready & every 1 minute');
    expect(def.end?.toString()).toBe(afterSuccess('x').toString());
  });

  it('collects every problem instead of stopping at the first', () => {
    const problems: RegistrationProblem[] = [];
    defineTask(
      spec({
        execution: 'bogus' as 'async',
        start: 'evry 1 minute',
        end: 42 as unknown as string,
        timeout: 'soon' as '1 second',
      }),
      {},
      new Set(),
      problems,
    );
    expect(problems.map((p) => (p.kind === 'error' ? p.error.constructor : p.message))).toEqual([
      `Task "job" (Jobs.job): execution "bogus" is not one of 'main', 'async', 'thread', 'process', 'queue'.`,
      ConditionSyntaxError,
      'Task "job" end: expected a condition or a condition string, got 42.',
      ConfigurationError,
    ]);
  });

  it('shares one settings object among the tasks of a config that set none of their own', () => {
    const config = { timeout: '1 minute' as const };
    const problems: RegistrationProblem[] = [];
    const a = defineTask(spec({}), config, new Set(), problems);
    const b = defineTask(
      { ...spec({ start: afterSuccess('x') }), name: 'other' },
      config,
      new Set(),
      problems,
    );
    const own = defineTask(spec({ priority: 3 }), config, new Set(), problems);
    expect(problems).toEqual([]);
    const settings = (def: TaskDefinition): SettledTask['settings'] => {
      if (!(def instanceof SettledTask)) throw new Error('expected a SettledTask');
      return def.settings;
    };
    expect(settings(a)).toBe(settings(b));
    expect(settings(own)).not.toBe(settings(a));
    expect([a.timeout, b.timeout, own.timeout, own.priority, a.priority]).toEqual([
      60_000, 60_000, 60_000, 3, 0,
    ]);
    expect(Object.isFrozen(settings(a))).toBe(true);
  });

  it('reports a bad config value for every task, not only the first', () => {
    const config = { maxBatches: 0 };
    const problems: RegistrationProblem[] = [];
    defineTask(spec({}), config, new Set(), problems);
    defineTask({ ...spec({}), name: 'other' }, config, new Set(), problems);
    expect(problems.map((p) => (p.kind === 'usage' ? p.message : ''))).toEqual([
      expect.stringContaining('Task "job": maxBatches 0'),
      expect.stringContaining('Task "other": maxBatches 0'),
    ]);
  });
});
