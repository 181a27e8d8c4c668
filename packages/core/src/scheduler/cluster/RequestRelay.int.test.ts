import { Subject } from 'rxjs';
import { start } from '@apogee/test-utils';
import { App, ManualLeadership, when, type RelayedRequest, type RequestRelay } from '../../index';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-05-04T08:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

/** Two replicas' relays over one in-memory queue: whoever leads serves it. */
function relays(leads: ManualLeadership[]): RequestRelay[] {
  const handlers = new Map<number, (r: RelayedRequest) => void>();
  return leads.map((_, i) => ({
    forward: (request) => {
      for (const [j, handler] of handlers) if (leads[j]?.isLeader === true) handler(request);
      return Promise.resolve();
    },
    serve: (handler) => {
      handlers.set(i, handler);
      return () => handlers.delete(i);
    },
  }));
}

describe('requests on a replica that does not lead', () => {
  it('reach the leader: task.run with its reserved id, terminate, and when() emissions, each once', async () => {
    const leads = [new ManualLeadership(true), new ManualLeadership(false)];
    const [toLeader, toFollower] = relays(leads);
    const emissions$ = [new Subject<object>(), new Subject<object>()];
    const seen: unknown[] = [];
    const build = (i: number, relay: RequestRelay | undefined) => {
      const app = new App({ leadership: leads[i], ...(relay === undefined ? {} : { relay }) });
      app.task({ name: 'job' }, () => seen.push(['job', i]));
      app.task({ name: 'on', start: when(emissions$[i] as Subject<object>) }, () => seen.push(['on', i]));
      app.task({ name: 'long' }, () => new Promise(() => undefined));
      return app;
    };
    const leader = build(0, toLeader);
    const follower = build(1, toFollower);
    const a = await start(leader);
    const b = await start(follower);
    const id = follower.session.get('job').run({ n: 7 });
    emissions$[1]?.next({});
    leader.session.get('long').run();
    await a.advance(0);
    follower.session.get('long').terminate();
    await a.advance(0);
    expect(seen).toEqual([
      ['job', 0],
      ['on', 0],
    ]);
    const runs = await leader.logs.records({ taskName: 'job' });
    expect(runs.map((r) => r.runId)).toEqual([id, id]);
    expect(await follower.logs.records()).toEqual([]);
    expect(leader.session.get('long').status).toBe('terminate');
    await b.stop();
    await a.stop();
  });
});
