import { captureError } from '@apogee/test-utils';
import { container as rootContainer, inject, injectable } from 'tsyringe';
import {
  App,
  Arg,
  Cond,
  ConditionSyntaxError,
  CurrentTask,
  DecoratorUsageError,
  DuplicateTaskError,
  Inject,
  Param,
  Task,
  every,
  type ScheduledTask,
} from '../index';

describe('registration', () => {
  it('discovers method tasks, class tasks, conditions and providers, with default names', () => {
    class Jobs {
      @Task('every 1 minute')
      fetch() {}
      @Cond('is ready')
      ready() {
        return true;
      }
      @Param('token')
      token() {
        return 't';
      }
    }
    @Task({ start: 'daily' })
    class Nightly {
      run() {}
    }
    const app = new App().register(Jobs, Nightly);
    expect(app.session.tasks.map((t) => t.name)).toEqual(['fetch', 'Nightly']);
    expect(app.session.get('fetch').start.toString()).toBe('every 1 minute');
    expect(app.session.get('Nightly').start.toString()).toBe('daily');
  });

  it('builds task classes through the app container, so constructor services are injected', async () => {
    class Greeter {
      greet(name: string) {
        return `hello ${name}`;
      }
    }
    @Task({ name: 'greet' })
    class Greet {
      constructor(private readonly greeter: Greeter) {}
      run(@Arg('who') who: string) {
        return this.greeter.greet(who);
      }
    }
    const app = new App({ tasks: [Greet], params: { who: 'ada' } });
    const result = await runOnce(app, 'greet');
    expect(result).toBe('hello ada');
  });

  it('uses the container given to new App({ container }) for constructor and @Inject services', async () => {
    const container = rootContainer.createChildContainer();
    container.register('greeting', { useValue: 'hei' });
    @injectable()
    class Jobs {
      constructor(@inject('greeting') private readonly greeting: string) {}
      @Task()
      hello(@Inject('greeting') viaMethod: string) {
        return `${this.greeting}/${viaMethod}`;
      }
    }
    const app = new App({ container, tasks: [Jobs] });
    expect(await runOnce(app, 'hello')).toBe('hei/hei');
  });

  it('makes one instance per class per app', async () => {
    let built = 0;
    class Jobs {
      constructor() {
        built++;
      }
      @Task()
      a() {}
      @Task()
      b() {}
    }
    const app = new App({ tasks: [Jobs] });
    await runOnce(app, 'a');
    await runOnce(app, 'b');
    expect(built).toBe(1);
  });

  it('lists every decorator misuse at once, naming class, member and index', () => {
    class Broken {
      constructor(@Arg('x') _x: unknown) {}
      @Task()
      missing(@Arg('a') _a: unknown, _b: unknown) {}
      helper(@Arg('orphan') _o: unknown) {}
      @Task('every 1 minute', { start: 'daily' })
      twice() {}
    }
    const error = captureError(() => new App().register(Broken));
    expect(error).toBeInstanceOf(DecoratorUsageError);
    const problems = (error as DecoratorUsageError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toContain("@Arg('x') on parameter #0 of Broken's constructor");
    expect(problems.join('\n')).toContain('Broken.missing parameter #1 has no parameter decorator');
    expect(problems.join('\n')).toContain(
      "@Arg('orphan') on Broken.helper, but Broken.helper has no @Task, @Cond or @Param",
    );
    expect(problems.join('\n')).toContain('@Task on Broken.twice got a start condition both');
  });

  it('registers nothing when any class is misused', () => {
    class Good {
      @Task()
      good() {}
    }
    class Bad {
      @Task()
      bad(_x: unknown) {}
    }
    const app = new App();
    expect(() => app.register(Good, Bad)).toThrow(DecoratorUsageError);
    expect(app.session.tasks).toHaveLength(0);
  });

  it('rejects a class with no Apogee decorators', () => {
    class Plain {}
    expect(() => new App().register(Plain)).toThrow(/Class Plain has no Apogee decorators/);
  });

  it('rejects duplicate task names, naming both declarations', () => {
    class A {
      @Task({ name: 'sync' })
      one() {}
    }
    class B {
      @Task({ name: 'sync' })
      two() {}
    }
    const error = captureError(() => new App().register(A, B));
    expect(error).toBeInstanceOf(DuplicateTaskError);
    expect((error as Error).message).toContain('"sync": declared by A.one and by B.two');
  });

  it('rejects an unknown custom condition in a string, and accepts one registered in the same call', () => {
    class Checks {
      @Cond('is ready')
      ready() {
        return true;
      }
      @Task('is ready & every 1 minute')
      go() {}
    }
    expect(() => new App().register(Checks)).not.toThrow();
    class Other {
      @Task('is redy')
      go() {}
    }
    const error = captureError(() => new App().register(Other));
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    expect((error as Error).message).toContain("'is redy' is not a known condition");
  });

  it('names the task, its class and method in a ConditionSyntaxError, in the message and as fields', () => {
    class Reports {
      @Task('dialy after 08:00')
      digest() {}
    }
    const error = captureError(() => new App().register(Reports)) as ConditionSyntaxError;
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    expect(error.message).toMatch(/^In the task "digest" \(Reports\.digest\), start condition: Cannot parse/);
    expect(error.message).toContain("Did you mean 'daily'");
    expect(error).toMatchObject({ taskName: 'digest', owner: 'Reports.digest', input: 'dialy after 08:00' });
  });

  it('never mistakes an options object for a condition', () => {
    class Jobs {
      @Task({ name: 'named', priority: 3, start: every('1 hour') })
      a() {}
    }
    const task = new App({ tasks: [Jobs] }).session.get('named');
    expect(task.priority).toBe(3);
    expect(task.start.toString()).toBe('every 1 hour');
  });

  it('injects the task being run with @CurrentTask()', async () => {
    class Jobs {
      @Task()
      me(@CurrentTask() task: ScheduledTask) {
        return task.name;
      }
    }
    expect(await runOnce(new App({ tasks: [Jobs] }), 'me')).toBe('me');
  });
});

/** Runs one batch of `name` under fake timers and returns its return value. */
async function runOnce(app: App, name: string): Promise<unknown> {
  jest.useFakeTimers();
  try {
    app.session.get(name).run();
    const done = app.run({ handleSignals: false });
    await jest.advanceTimersByTimeAsync(10);
    await app.shutdown();
    await done;
    const [record] = await app.logs.records({ taskName: name, action: 'success' });
    if (record === undefined)
      throw new Error(
        `task ${name} did not succeed: ${JSON.stringify(await app.logs.records({ taskName: name }))}`,
      );
    return record.returnValue;
  } finally {
    jest.useRealTimers();
  }
}

describe('registration of thread and process tasks', () => {
  it('finds the declaring module of a decorated task, and a function task needs one given', () => {
    class Heavy {
      @Task({ execution: 'thread' })
      crunch() {}
    }
    const app = new App().register(Heavy);
    expect(app.session.get('crunch').definition.target).toEqual({
      module: __filename,
      taskName: 'crunch',
      className: 'Heavy',
      member: 'crunch',
    });
    expect(() => app.task({ name: 'loose', execution: 'process' }, () => 1)).toThrow(
      /Task "loose" \(loose, execution 'process'\) needs module: .*__filename/,
    );
    expect(() =>
      app.task({ name: 'lost', execution: 'thread', module: './no/such/file.js' }, () => 1),
    ).toThrow(/its module "\.\/no\/such\/file\.js" was looked for at .*no\/such\/file\.js and not found/);
  });

  it('refuses what cannot cross to a worker at registration', () => {
    class Remote {
      @Task({ execution: 'process' })
      inspect(@CurrentTask() task: ScheduledTask) {
        return task.name;
      }
    }
    expect(() => new App().register(Remote)).toThrow(
      /Task "inspect" \(Remote.inspect, execution 'process'\) takes @CurrentTask\(\), which cannot cross to a worker/,
    );
  });

  it('takes the execution of a task from config.execution', () => {
    class Jobs {
      @Task()
      one() {}
    }
    const app = new App({ config: { execution: 'process' } }).register(Jobs);
    expect(app.session.get('one').definition.execution).toBe('process');
    expect(app.session.get('one').definition.target?.module).toBe(__filename);
  });
});
