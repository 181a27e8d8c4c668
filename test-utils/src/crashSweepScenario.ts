import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { App, type AppOptions, type SchedulerEvent } from '@apogee/core';
import { waitFor } from './waitFor';

/** What {@link expectDeadProcessRunSwept} starts: the leader's store parts and the dying replica. */
export interface CrashSweepSetup {
  /** The store's parts for the leader (`redis({...})`, `postgres({...})`), on a short lease. */
  readonly parts: Pick<AppOptions, 'log' | 'leadership' | 'fence' | 'relay'>;
  /** A replica script whose start-up task `warmup` prints `{ warmup: 'started' }` and never ends. */
  readonly replica: string;
  /** Its environment (the store's URL, the app's name, the lease). */
  readonly env: Readonly<Record<string, string>>;
}

/**
 * A replica that does not lead starts a run (its start-up task, recorded open in the shared log)
 * and is killed with SIGKILL while the leader keeps its lease: the leader records the run `crash`
 * (and emits `taskFailed`) without a takeover or a restart, from its periodic sweep.
 */
export async function expectDeadProcessRunSwept(setup: CrashSweepSetup): Promise<void> {
  const app = new App({ ...setup.parts });
  const events: SchedulerEvent[] = [];
  app.events.subscribe((e) => events.push(e));
  const done = app.run({ handleSignals: false });
  // The replica starts once this app leads: a new store holds every campaign off for a while
  // (see @apogee/redis's StoreEpoch), after which either process could win the lease.
  await waitFor('a leader', () => app.isLeader, 60_000).catch(async (error: unknown) => {
    await app.shutdown();
    await done;
    throw error;
  });
  const child = spawn(process.execPath, [setup.replica], {
    env: { ...process.env, ...setup.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const started = new Promise<void>((resolve) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.includes('"warmup":"started"')) resolve();
      });
    });
    await started;
    const [open] = await waitFor(
      "the replica's open run",
      async () => {
        const records = await app.logs.records({ taskName: 'warmup' });
        return records.length > 0 ? records : undefined;
      },
      60_000,
    );
    child.kill('SIGKILL');
    const crash = await waitFor(
      'the leader to record the crash',
      async () => (await app.logs.records({ taskName: 'warmup', action: 'crash' }))[0],
      60_000,
    );
    expect(crash.runId).toBe(open?.runId);
    expect(await app.logs.records({ taskName: 'warmup' })).toHaveLength(2);
    await waitFor('the crash event', () =>
      events.some((e) => e.type === 'taskFailed' && e.runId === crash.runId),
    );
    // Swept while leading: no takeover, no restore in between.
    expect(events.filter((e) => e.type === 'leadershipAcquired' || e.type === 'leadershipLost')).toHaveLength(
      1,
    );
  } finally {
    child.kill('SIGKILL');
    await app.shutdown();
    await done;
  }
}
