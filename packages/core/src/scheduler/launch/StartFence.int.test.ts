import { start } from '@apogee/test-utils';
import { App, every, type StartClaim } from '../../index';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-05-04T08:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('a start fence', () => {
  it('is asked before every start but start-up tasks, and a refused run leaves no trace', async () => {
    const claims: StartClaim[] = [];
    const app = new App({
      fence: {
        claim: (claim) => {
          claims.push(claim);
          return claim.kind === 'batch';
        },
      },
    });
    app.task({ name: 'setup', onStartup: true }, () => 'mine');
    app.task({ name: 'tick', start: every('1 hour') }, () => undefined);
    const running = await start(app);
    const id = app.session.get('tick').run({ n: 1 });
    await running.advance(0);
    await running.stop();
    expect(claims.map((c) => [c.taskName, c.kind])).toEqual([
      ['tick', 'condition'],
      ['tick', 'batch'],
    ]);
    expect(claims[1]?.runId).toBe(id);
    const runs = await app.logs.records({ action: 'run' });
    expect(runs.map((r) => [r.taskName, r.runId])).toEqual([
      ['setup', expect.any(String)],
      ['tick', id],
    ]);
  });

  it('holds a run while an asynchronous claim is pending, and does not start the task twice meanwhile', async () => {
    let release: (ok: boolean) => void = () => undefined;
    let asked = 0;
    const app = new App({
      fence: {
        claim: () => {
          asked++;
          return new Promise<boolean>((resolve) => {
            release = resolve;
          });
        },
      },
    });
    let runs = 0;
    app.task({ name: 'tick', start: every('1 second') }, () => runs++);
    const running = await start(app);
    await running.advance(3_000);
    expect(asked).toBe(1);
    expect(runs).toBe(0);
    release(true);
    await running.advance(0);
    expect(runs).toBe(1);
    await running.stop();
  });
});
