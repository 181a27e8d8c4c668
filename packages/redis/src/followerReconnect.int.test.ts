import { App } from '@apogee/core';
import { startRedisServer, TcpProxy, type RedisServer } from '@apogee/test-utils';
import { waitFor } from './fixtures/waitFor';
import { redis } from './redis';

let server: RedisServer;

beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

it('a replica whose connection was cut reads what was published while it was away', async () => {
  const proxy = await TcpProxy.start(server.port);
  const build = (url: string, who: string) => {
    // A lease long enough that the cut never moves the leadership.
    const app = new App({ ...redis({ url, name: 'reconnect', leaseTtl: '10 seconds' }) });
    app.task({ name: 'job' }, () => who);
    return { app, done: app.run({ handleSignals: false }) };
  };
  const leader = build(server.url, 'leader');
  let follower: ReturnType<typeof build> | undefined;
  try {
    await waitFor('a leader', () => leader.app.isLeader, 60_000);
    follower = build(`redis://127.0.0.1:${String(proxy.port)}`, 'follower');
    const followerApp = follower.app;
    await waitFor('the follower to start', () => followerApp.status.lastPassAt, 60_000);
    // Everything the follower's connections receive is held, then dropped with them: the run's
    // records are published while it is away.
    proxy.hold();
    leader.app.session.get('job').run();
    await waitFor(
      'the run to end on the leader',
      async () => (await leader.app.logs.records({ taskName: 'job', action: 'success' })).length > 0,
      60_000,
    );
    proxy.cut();
    proxy.pass();
    await waitFor(
      'the follower to read the run it missed',
      () => followerApp.session.get('job').status === 'success',
      60_000,
    );
    expect(followerApp.session.returns.get('job')).toBe('leader');
    expect(followerApp.isLeader).toBe(false);
  } finally {
    await follower?.app.shutdown();
    await follower?.done;
    await leader.app.shutdown();
    await leader.done;
    await leader.app.logs.release?.();
    await proxy.close();
  }
}, 180_000);
