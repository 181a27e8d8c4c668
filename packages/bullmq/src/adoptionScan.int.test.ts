import { Queue } from 'bullmq';
import { App, ManualLeadership, type RunRecord } from '@apogee/core';
import { bullmq } from './bullmq';
import { jobIdOf } from './QueueJob';
import { waitFor } from './fixtures/waitFor';
import { useRedisServer } from './fixtures/useRedisServer';

/*
 * The adoption scan (`QueueExecutor.adoptAll`) runs as an instance gains the leadership and adopts
 * the runs in the queue that it does not follow. A run of this instance's own that ends while the
 * scan reads is no longer followed (its end removed it) but is still in the read's list: adopted
 * then, it was a live run nobody would ever end (the app's shutdown waited for it forever). These
 * tests hold the scan's read until such a run has ended and its end is recorded.
 */

// A real redis-server on a possibly loaded machine: every wait is for a record, with room.
jest.setTimeout(120_000);

const server = useRedisServer();

let queueCount = 0;

afterEach(() => {
  jest.restoreAllMocks();
});

type Jobs = Awaited<ReturnType<typeof Queue.prototype.getJobs>>;

/**
 * Holds the adoption scan's read of the jobs waiting or executing (the one read of those states
 * alone: `liveElsewhere` reads the finished ones with them, the reconcile only the finished ones).
 * `hold` gets that read (the real one, against Redis) to make when it likes, and what it returns
 * is what the scan then sees. Resolves once the scan has taken the jobs returned: the scan takes
 * them as soon as the read resolves (in its microtasks), so one macrotask later it has.
 */
function holdScan(hold: (read: () => Promise<Jobs>) => Promise<Jobs>): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with its instance below
  const getJobs = Queue.prototype.getJobs;
  return new Promise<void>((scanned, failed) => {
    let held = false;
    jest.spyOn(Queue.prototype, 'getJobs').mockImplementation(function (this: Queue, ...args) {
      const read = (): Promise<Jobs> => getJobs.apply(this, args);
      const [types] = args;
      const scan = Array.isArray(types) && types.includes('active') && !types.includes('completed');
      if (held || !scan) return read();
      held = true;
      const jobs = hold(read);
      jobs.then(() => {
        setImmediate(() => {
          scanned();
        });
      }, failed);
      return jobs;
    });
  });
}

/** A gate a run waits on until the test opens it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * One instance (no other: whatever it adopts, it adopted from itself) on a queue of its own, with
 * a queue task `gated` whose runs wait on `release`, executed by this instance's own worker.
 * `cleanUp` (for `finally`) shuts it down if the test did not: a run adopted by mistake would hold
 * that shutdown forever, so it is terminated first, and the test reports its failure rather than
 * a timeout.
 */
async function startApp(leading: boolean): Promise<{
  app: App;
  leadership: ManualLeadership;
  release: () => void;
  stop: () => Promise<void>;
  cleanUp: () => Promise<void>;
}> {
  queueCount++;
  const leadership = new ManualLeadership(leading);
  const app = new App({
    // The leadership changes these tests make are expected: only errors are worth a line.
    config: { logLevel: 'error' },
    leadership,
    ...bullmq({ url: server.url, name: `adoption-${String(queueCount)}` }),
  });
  const { opened, open } = gate();
  app.task({ name: 'gated', execution: 'queue' }, () => opened);
  let started = false;
  app.events.subscribe((e) => {
    if (e.type === 'schedulerStarted') started = true;
  });
  const done = app.run({ handleSignals: false });
  await waitFor('the scheduler to start', () => (started ? true : undefined));
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await app.shutdown();
      await done;
    })());
  return {
    app,
    leadership,
    release: open,
    stop,
    cleanUp: async () => {
      open();
      if (stopped === undefined) app.session.get('gated').terminate();
      await stop();
    },
  };
}

/** The records of run `runId` (of task `gated`), once one of them passes `seen`. */
const recordsOf = (
  app: App,
  runId: string,
  what: string,
  seen: (r: RunRecord) => boolean,
): Promise<RunRecord[]> =>
  waitFor(what, async () => {
    const records = (await app.logs.records({ taskName: 'gated' })).filter((r) => r.runId === runId);
    return records.some(seen) ? records : undefined;
  });

const begun = (app: App, runId: string): Promise<RunRecord[]> =>
  recordsOf(app, runId, `the start of ${runId}`, (r) => r.action === 'run');

const ended = (app: App, runId: string): Promise<RunRecord[]> =>
  recordsOf(app, runId, `the end of ${runId}`, (r) => r.action !== 'run');

/**
 * The read the scan is held in: the job of run `runId` is executing (listed), then its run ends and
 * its end is recorded here (its job is taken out of Redis), then the scan gets the read's list,
 * which still lists that job as executing.
 */
async function endDuringRead(
  app: App,
  runId: string,
  release: () => void,
  read: () => Promise<Jobs>,
): Promise<Jobs> {
  const jobs = await read();
  expect(jobs.map((job) => job.id)).toContain(jobIdOf('gated', runId));
  release();
  await ended(app, runId);
  return jobs;
}

/**
 * What a user sees once the scan is over: the run is not live any more, the app shuts down (it
 * would wait for a live run forever), and the run has one start and one end on record.
 */
async function expectEndedOnce(app: App, runId: string, stop: () => Promise<void>): Promise<void> {
  expect(app.session.liveRuns('gated')).toEqual([]);
  await stop();
  const records = (await app.logs.records({ taskName: 'gated' })).filter((r) => r.runId === runId);
  expect(records.map((r) => r.action)).toEqual(['run', 'success']);
}

describe("execution 'queue': the adoption scan as this instance gains the leadership", () => {
  it('does not adopt a run of its own dispatched before the scan that ended while the scan read', async () => {
    const { app, leadership, release, stop, cleanUp } = await startApp(true);
    try {
      const runId = app.session.get('gated').run();
      await begun(app, runId);
      // Queue runs go on through a loss of the leadership; this instance still follows this one.
      leadership.set(false);
      const scanned = holdScan((read) => endDuringRead(app, runId, release, read));
      leadership.set(true);
      await scanned;
      await expectEndedOnce(app, runId, stop);
    } finally {
      await cleanUp();
    }
  });

  it('does not adopt a run of its own dispatched during the scan that ended while the scan read', async () => {
    // A standby gaining the leadership: its scan runs beside the first runs it dispatches.
    const { app, leadership, release, stop, cleanUp } = await startApp(false);
    let runId = '';
    try {
      const scanned = holdScan(async (read) => {
        runId = app.session.get('gated').run();
        await begun(app, runId);
        return endDuringRead(app, runId, release, read);
      });
      leadership.set(true);
      await scanned;
      await expectEndedOnce(app, runId, stop);
    } finally {
      await cleanUp();
    }
  });
});
