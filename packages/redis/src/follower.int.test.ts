import { App } from '@apogee/core';
import { serveControl } from '@apogee/http';
import { startRedisServer, type RedisServer } from '@apogee/test-utils';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

describe('the control API on a replica that does not lead', () => {
  it('takes POST /tasks/:name/run to the leader, which runs it once, and shows the shared state in GET /tasks and GET /logs', async () => {
    const build = (who: string) => {
      // A lease long enough that a loaded machine's pauses never move the leadership mid-test.
      const app = new App({ ...redis({ url: server.url, name: 'http', leaseTtl: '10 seconds' }) });
      app.task({ name: 'job' }, () => who);
      return { app, done: app.run({ handleSignals: false }) };
    };
    const leader = build('leader');
    let follower: ReturnType<typeof build> | undefined;
    let control: Awaited<ReturnType<typeof serveControl>> | undefined;
    try {
      await waitFor('a leader', () => leader.app.isLeader);
      follower = build('follower');
      const { app: followerApp } = follower;
      await waitFor('the follower to start', async () => (await followerApp.logs.records()) !== undefined);
      control = await serveControl(followerApp, { port: 0 });
      const { url } = control;
      const posted = await fetch(`${url}/tasks/job/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(posted.status).toBe(202);
      const task = await waitFor('the follower to show the run', async () => {
        const body = (await (await fetch(`${url}/tasks/job`)).json()) as { status: string | null };
        return body.status === 'success' ? body : undefined;
      });
      expect(task.status).toBe('success');
      const logs = await (await fetch(`${url}/logs?task=job`)).json();
      expect(JSON.stringify(logs)).toContain('"returnValue":"leader"');
      const records = await leader.app.logs.records({ taskName: 'job' });
      expect(records.map((r) => [r.action, r.returnValue])).toEqual([
        ['run', undefined],
        ['success', 'leader'],
      ]);
    } finally {
      // Whatever failed above, nothing may outlive the test (jest would not exit).
      await control?.close();
      await follower?.app.shutdown();
      await follower?.done;
      await leader.app.shutdown();
      await leader.done;
      await leader.app.logs.release?.();
    }
  }, 60_000);
});
