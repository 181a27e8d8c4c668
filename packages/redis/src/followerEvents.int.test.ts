import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { App, type SchedulerEvent } from '@apogee/core';
import { serveControl } from '@apogee/http';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

/** The built `apogee` command (`pnpm build` builds it; `pnpm test` does first). */
const APOGEE = resolve(__dirname, '..', '..', 'cli', 'dist', 'bin.js');

let server: RedisServer;
let n = 0;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

/** Runs the real `apogee` command; a command still running after `timeoutMs` is killed. */
function apogee(
  args: string[],
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [APOGEE, ...args],
      { timeout: timeoutMs, env: { ...process.env, APOGEE_URL: '', APOGEE_TOKEN: '' } },
      (error, stdout, stderr) => {
        done({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
      },
    );
  });
}

describe('a replica that does not lead streams every run of the cluster', () => {
  it('emits the runs the leader records on app.events, so `apogee trigger --wait` against it ends with the result', async () => {
    const name = `events${String(++n)}`;
    const build = (who: string) => {
      // A lease long enough that a loaded machine's pauses never move the leadership mid-test.
      const app = new App({ ...redis({ url: server.url, name, leaseTtl: '10 seconds' }) });
      app.task({ name: 'job' }, () => `done by ${who}`);
      app.task({ name: 'broken' }, () => {
        throw new Error(`broken on ${who}`);
      });
      return { app, done: app.run({ handleSignals: false }) };
    };
    const leader = build('leader');
    let follower: ReturnType<typeof build> | undefined;
    let control: Awaited<ReturnType<typeof serveControl>> | undefined;
    try {
      await waitFor('a leader', () => leader.app.isLeader, 60_000);
      follower = build('follower');
      const seen: SchedulerEvent[] = [];
      follower.app.events.subscribe((e) => seen.push(e));
      const followerApp = follower.app;
      await waitFor(
        'the follower to follow',
        () => followerApp.status.running && followerApp.status.lastPassAt,
      );
      control = await serveControl(followerApp, { port: 0 });
      const ok = await apogee(['trigger', 'job', '--wait', '--url', control.url], 60_000);
      expect(ok.stdout).toMatch(/job \S+ succeeded in .*: "done by leader"/);
      expect(ok.code).toBe(0);
      const failed = await apogee(['trigger', 'broken', '--wait', '--url', control.url], 60_000);
      expect(failed.stdout).toMatch(/broken \S+ failed after .*: broken on leader/);
      expect(failed.code).toBe(5);
      const runs = seen.filter((e) => 'runId' in e).map((e) => [e.type, 'taskName' in e ? e.taskName : '']);
      expect(runs).toEqual([
        ['taskStarted', 'job'],
        ['taskSucceeded', 'job'],
        ['taskStarted', 'broken'],
        ['taskFailed', 'broken'],
      ]);
      expect(followerApp.isLeader).toBe(false);
    } finally {
      await control?.close();
      await follower?.app.shutdown();
      await follower?.done;
      await leader.app.shutdown();
      await leader.done;
      await leader.app.logs.release?.();
    }
  }, 180_000);
});
