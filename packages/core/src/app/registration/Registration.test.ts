import { Signature } from '../../params/Signature';
import { cond } from '../../conditions/custom/CustomCondition';
import { afterSuccess } from '../../conditions/task/afterSuccess';
import { Arg } from '../../decorators/Arg';
import { Cond } from '../../decorators/Cond';
import { Param } from '../../decorators/Param';
import { Task } from '../../decorators/Task';
import type { CustomConditionDefinition } from '../../scheduler/checks/CustomConditionDefinition';
import type { InstanceProvider } from '../instances/InstanceProvider';
import { Registration, type RegistrationContext } from './Registration';

/** A context with one registered task ("existing", by Old.existing) and one custom condition. */
function context(instances: InstanceProvider = { get: () => ({}) as never }): RegistrationContext {
  const customs = new Map<string, CustomConditionDefinition>([
    [
      'is open',
      {
        name: 'is open',
        owner: 'Old.open',
        leading: 0,
        signature: Signature.EMPTY,
        poll: 1000,
        call: () => true,
      },
    ],
  ]);
  return {
    config: { execution: 'main' },
    hasQueue: false,
    instances,
    customs,
    taskOwner: (name) => (name === 'existing' ? 'Old.existing' : undefined),
    taskNames: () => ['existing'],
  };
}

describe('Registration', () => {
  it('turns classes into definitions, settled against the config, without building anything', () => {
    class Jobs {
      @Cond('is ready')
      ready() {
        return true;
      }
      @Param('limit')
      limit() {
        return 3;
      }
      @Task('is ready & is open')
      work(@Arg('limit') limit: number) {
        return limit;
      }
    }
    const asked: unknown[] = [];
    const plan = new Registration(
      context({
        get: (ctor) => {
          asked.push(ctor);
          return new ctor();
        },
      }),
    ).classes([Jobs]);
    expect(plan.problems).toEqual([]);
    expect(
      plan.tasks.map((t) => [t.definition.name, t.definition.execution, t.definition.start.toString()]),
    ).toEqual([['work', 'main', 'is ready & is open']]);
    expect(plan.conds.map((c) => c.name)).toEqual(['is ready']);
    expect(plan.params.map((p) => p.name)).toEqual(['limit']);
    expect(asked).toEqual([]);
    expect(plan.tasks[0]?.definition.invoke([7])).toBe(7);
    expect(asked).toEqual([Jobs]);
  });

  it('returns duplicates against the registered tasks and within the call', () => {
    class A {
      @Task({ name: 'existing' })
      one() {}
      @Task({ name: 'twin' })
      two() {}
      @Task({ name: 'twin' })
      three() {}
    }
    const plan = new Registration(context()).classes([A]);
    expect(plan.problems).toEqual([
      { kind: 'duplicate', message: '"existing": declared by Old.existing and by A.one' },
      { kind: 'duplicate', message: '"twin": declared by A.two and by A.three' },
    ]);
  });

  it('returns a taken custom condition name for @Cond and app.cond', () => {
    class C {
      @Cond('is open')
      open() {
        return true;
      }
    }
    const registration = new Registration(context());
    expect(registration.classes([C]).problems).toEqual([
      {
        kind: 'usage',
        message: expect.stringContaining(
          "@Cond('is open') on C.open: a custom condition with that name",
        ) as string,
      },
    ]);
    expect(registration.cond({ name: 'is open' }, () => true).problems).toEqual([
      {
        kind: 'usage',
        message: expect.stringContaining("app.cond 'is open': a custom condition with that name") as string,
      },
    ]);
  });

  it('plans function tasks, conditions and providers, with their leading parameters', () => {
    const registration = new Registration(context());
    const task = registration.task({ name: 'sum', inject: [Arg('a')] }, (a: number) => a + 1);
    expect(task.problems).toEqual([]);
    expect(task.tasks[0]?.definition.invoke([1])).toBe(2);
    expect(task.tasks[0]?.origin.kind).toBe('function');
    const condPlan = registration.cond(
      { name: 'over', inject: [Arg('level')], poll: '5 seconds' },
      (limit: number, level: number) => level > limit,
    );
    expect(condPlan.conds.map((c) => [c.leading, c.poll, c.call([1, 2])])).toEqual([[1, 5000, true]]);
    const paramPlan = registration.param({ name: 'now', cache: 'session' }, () => 'now');
    expect(paramPlan.params.map((p) => [p.name, p.cache])).toEqual([['now', 'session']]);
  });

  it('checks references against what is registered plus what a plan would add', () => {
    const registration = new Registration(context());
    const plan = registration.task({ name: 'fresh' }, () => 1);
    const uses = [
      { condition: afterSuccess('fresh').and(afterSuccess('existing'), cond('is open')), usedBy: 'x' },
    ];
    expect(registration.references(uses)).toHaveLength(1);
    expect(registration.references(uses, plan)).toEqual([]);
  });

  it('parses shutdownWhen before a run and checks it with the tasks', () => {
    const registration = new Registration(context());
    const ok = registration.beforeRun(
      [{ name: 'a', start: afterSuccess('existing'), end: undefined }],
      'is open',
    );
    expect(ok.problems).toEqual([]);
    expect(ok.shutdownWhen?.toString()).toBe('is open');
    const bad = registration.beforeRun(
      [{ name: 'a', start: afterSuccess('ghost'), end: undefined }],
      'is clsed',
    );
    expect(bad.shutdownWhen).toBeUndefined();
    expect(bad.problems.map((p) => (p.kind === 'error' ? p.error.code : p.kind))).toEqual([
      'CONDITION_SYNTAX',
      'UNKNOWN_TASK',
    ]);
  });

  it('reads the registered names only when there are references to check (registration stays linear)', () => {
    let reads = 0;
    const registration = new Registration({
      ...context(),
      taskNames: () => {
        reads++;
        return ['existing'];
      },
    });
    const plan = registration.task({ name: 'new', start: afterSuccess('existing') }, () => 1);
    expect(registration.references([], plan)).toEqual([]);
    expect(reads).toBe(0);
    const uses = [{ condition: afterSuccess('missing'), usedBy: 'task "new"' }];
    expect(registration.references(uses, plan).map((p) => p.kind)).toEqual(['error']);
    expect(reads).toBe(1);
  });
});
