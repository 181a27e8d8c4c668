import { runFor, useFakeClock } from '@apogee/test-utils';
import { App, Arg, Cond, Param, Task, cond, type InstanceProvider } from '../../index';
// Not yet exported from the package entry point (the lead adds it to index.ts).

useFakeClock(new Date('2026-03-02T12:00:00Z'));

/** Built by hand, as a framework's injector would: its constructor takes what no container knows. */
class Reports {
  constructor(private readonly prefix: string) {}
  @Param('title')
  title() {
    return `${this.prefix} title`;
  }
  @Cond('is open')
  open() {
    return true;
  }
  @Task({ start: cond('is open') })
  daily(@Arg('title') title: string) {
    return `${this.prefix}: ${title}`;
  }
}

describe('new App({ instances })', () => {
  it('calls task, condition and provider methods on the instances the given provider returns', async () => {
    const asked: string[] = [];
    const instance = new Reports('nest');
    const instances: InstanceProvider = {
      get: <T extends object>(ctor: new (...args: never[]) => T): T => {
        asked.push(ctor.name);
        if (ctor !== (Reports as unknown)) throw new Error(`unexpected ${ctor.name}`);
        return instance as unknown as T;
      },
    };
    const app = new App({ instances, tasks: [Reports] });
    expect(asked).toEqual([]);
    await runFor(app, 10);
    expect(app.session.returns.get('daily')).toBe('nest: nest title');
    expect(new Set(asked)).toEqual(new Set(['Reports']));
  });

  it('fails the run, not the scheduler, when the provider cannot give an instance', async () => {
    const app = new App({
      instances: {
        get: () => {
          throw new Error('no such provider in the module');
        },
      },
    });
    class Jobs {
      @Task()
      job() {
        return 1;
      }
    }
    app.register(Jobs);
    app.task({ name: 'plain' }, () => 'ok');
    app.session.get('job').run();
    app.session.get('plain').run();
    await runFor(app, 10);
    const [failed] = await app.logs.records({ taskName: 'job', action: 'fail' });
    expect(String(failed?.error)).toContain('no such provider in the module');
    expect(app.session.returns.get('plain')).toBe('ok');
  });
});
