import { App, type AppOptions } from '@apogee/core';
import { waitFor } from './waitFor';
import { warningLogger } from './warningLogger';

/** What {@link expectFollowersBoundRuns} starts replicas with. */
export interface RelayBoundSetup {
  /** New store parts for one replica (`redis({...})`, `postgres({...})`), the same app each call. */
  readonly parts: () => Pick<AppOptions, 'log' | 'leadership' | 'fence' | 'relay'>;
  /** Serves an app's control API (`serveControl(app, { port: 0 })`). */
  readonly serve: (app: App) => Promise<{ readonly url: string; close(): Promise<void> }>;
  /** The task's bound; default 20. */
  readonly maxBatches?: number;
  /** Requests each follower takes; default 15. */
  readonly postsEach?: number;
  /** The `maxQueuedBatches` that `serve` gives the control API, when below `maxBatches`: the bound then. */
  readonly maxQueuedBatches?: number;
}

/** A promise and what resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** `count` concurrent `POST /tasks/job/run` (at most 50 at once): the status of each, and the text of the refusals. */
async function postRuns(url: string, count: number): Promise<{ status: number; text: string }[]> {
  const post = async (n: number) => {
    const response = await fetch(`${url}/tasks/job/run`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ n }),
    });
    return { status: response.status, text: await response.text() };
  };
  // At most 50 in flight: more would meet the server's backlog rather than the bound.
  const answers: { status: number; text: string }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) answers.push(await post(next++));
  };
  await Promise.all(Array.from({ length: Math.min(count, 50) }, worker));
  return answers;
}

/**
 * The experiment (#25, point 10) scaled down: the leader's run of `job` (maxBatches 20)
 * holds its queue; two followers take 15 `POST /tasks/job/run` each, at once. Exactly 20 are
 * accepted (202) and the rest refused (429, as the leader refuses), the leader queues the 20 and
 * warns of no dropped request, and a `task.run()` on a follower beyond the bound is warned of in
 * the follower's own log, naming the task, the run id and the bound. With a control API
 * `maxQueuedBatches` below `maxBatches`, that is the bound of the posts (and `task.run()` is not tried).
 */
export async function expectFollowersBoundRuns(setup: RelayBoundSetup): Promise<void> {
  const { maxBatches = 20, postsEach = 15, maxQueuedBatches = Infinity } = setup;
  const bound = Math.min(maxBatches, maxQueuedBatches);
  const refusal =
    maxQueuedBatches < maxBatches
      ? `maxQueuedBatches is ${String(maxQueuedBatches)}`
      : `its maxBatches is ${String(maxBatches)}`;
  const held = gate();
  const replica = (warnings: string[] = []) => {
    const { logger } = warningLogger(warnings);
    const app = new App({ ...setup.parts(), config: { logger } });
    app.task({ name: 'job', maxBatches }, () => held.opened);
    return { app, warnings, done: app.run({ handleSignals: false }) };
  };
  const leader = replica();
  const followers: ReturnType<typeof replica>[] = [];
  const controls: { url: string; close(): Promise<void> }[] = [];
  try {
    await waitFor('a leader', () => leader.app.isLeader, 60_000);
    followers.push(replica(), replica());
    for (const { app } of followers) {
      await waitFor('a follower to start', async () => (await app.logs.records()) !== undefined);
      controls.push(await setup.serve(app));
    }
    const job = leader.app.session.get('job');
    job.run();
    await waitFor('the run that holds the queue', () => job.isRunning);
    const answers = (await Promise.all(controls.map((c) => postRuns(c.url, postsEach)))).flat();
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(bound);
    expect(statuses.filter((s) => s === 429)).toHaveLength(2 * postsEach - bound);
    expect(answers.find((a) => a.status === 429)?.text).toContain(refusal);
    await waitFor('the leader to queue them', () => job.batches.length === bound, 60_000);
    expect(leader.warnings.filter((w) => w.includes('"job"'))).toEqual([]);
    // task.run() in code is bounded by the task's own maxBatches.
    if (maxQueuedBatches < maxBatches) return;
    const follower = followers[0] as (typeof followers)[number];
    const runId = follower.app.session.get('job').run();
    const refused = await waitFor('the refusal in the follower', () =>
      follower.warnings.find((w) => w.includes(`run ${runId} of task "job" was refused`)),
    );
    expect(refused).toContain(refusal);
    expect(job.batches).toHaveLength(bound);
    expect(leader.warnings.filter((w) => w.includes('"job"'))).toEqual([]);
  } finally {
    held.open();
    for (const control of controls) await control.close();
    for (const { app, done } of [...followers, leader]) {
      await app.shutdown();
      await done;
      await app.logs.release?.();
    }
  }
}
