import { App, type RelayedRequest, type RunRecord } from '@apogee/core';
import { serveControl } from '@apogee/http';
import { startPostgres, waitFor, type PostgresServer } from '@apogee/test-utils';
import pg from 'pg';
import { filter, firstValueFrom } from 'rxjs';
import { postgres, type PostgresAppParts } from './postgres';

jest.setTimeout(120_000);

let server: PostgresServer;
let n = 0;
const opened: PostgresAppParts[] = [];

beforeAll(async () => {
  server = await startPostgres();
});
afterEach(async () => {
  for (const parts of opened.splice(0)) {
    await parts.leadership.stop?.();
    await parts.log.release?.();
  }
});
afterAll(async () => {
  await server.stop();
});

function open(name: string, secret?: string): PostgresAppParts {
  const parts = postgres({
    url: server.url,
    name,
    leaseTtl: '10 seconds',
    ...(secret === undefined ? {} : { secret }),
  });
  opened.push(parts);
  return parts;
}

/** A promise and what resolves it. */
function latch(): [Promise<void>, () => void] {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return [promise, open];
}

const record = (runId: string): RunRecord => ({ taskName: 't', runId, action: 'run', created: new Date() });

describe('a replica that does not lead', () => {
  it('sees every record through LISTEN/NOTIFY, and after the server restarts reads what it missed', async () => {
    const name = `watch${String(++n)}`;
    const writer = open(name);
    const follower = open(name);
    const seen: string[] = [];
    const stop = await follower.log.watch?.((r) => seen.push(r.runId));
    try {
      await writer.log.append(record('before'));
      await waitFor('the first record', () => seen.includes('before'));
      await server.restart();
      // Appended as soon as the server is back: the follower may still be reconnecting, and
      // catches up by reading after the last record it saw.
      await waitFor(
        'the writer to reconnect',
        () =>
          Promise.resolve(writer.log.append(record('after'))).then(
            () => true,
            () => false,
          ),
        60_000,
      );
      await writer.log.append(record('later'));
      await waitFor(
        'the records after the restart',
        () => seen.includes('after') && seen.includes('later'),
        60_000,
      );
      expect(seen).toEqual(['before', 'after', 'later']);
    } finally {
      stop?.();
    }
  });

  it('ignores, with a warning, a record written past append (a forged end of a run never opened), as the leader does', async () => {
    const name = `forged${String(++n)}`;
    const writer = open(name);
    const follower = open(name);
    const seen: string[] = [];
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const stop = await follower.log.watch?.((r) => seen.push(`${r.runId} ${r.action}`));
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const forged = { taskName: 't', action: 'success', created: Date.now(), runId: 'never-opened' };
      await client.query(
        `INSERT INTO apogee.records (app, task, action, run_id, created, process, record)
         VALUES ($1, 't', 'success', 'never-opened', $2, 'forger', $3)`,
        [name, forged.created, JSON.stringify(forged)],
      );
      await client.end();
      await writer.log.append(record('real'));
      await waitFor('the real record', () => seen.includes('real run'));
      expect(seen).toEqual(['real run']);
      const warnings = warn.mock.calls.map((call) => String(call[0])).join('\n');
      expect(warnings).toMatch(/skipped a run record at .*: it was not stored through append/);
    } finally {
      stop?.();
      warn.mockRestore();
    }
  });

  it('forwards requests to the leader, which takes each once; with a secret, unsigned and wrongly signed ones are refused with a warning', async () => {
    const name = `relay${String(++n)}`;
    const secret = 'a-secret-of-some-length';
    const leader = open(name, secret);
    await leader.leadership.start?.();
    expect(leader.leadership.isLeader).toBe(true);
    const replica = open(name, secret);
    const stranger = open(name, 'another-secret-entirely');
    const taken: RelayedRequest[] = [];
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const stop = leader.relay.serve((request) => taken.push(request));
    try {
      await stranger.relay.forward({ kind: 'run', taskName: 'wipe', params: { who: 'all' }, runId: 'x1' });
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query(`INSERT INTO apogee.requests (app, body) VALUES ($1, $2)`, [
        name,
        JSON.stringify({ kind: 'run', taskName: 'wipe', params: {}, runId: 'x2' }),
      ]);
      await client.query(`INSERT INTO apogee.requests (app, body) VALUES ($1, '"garbage"')`, [name]);
      await client.end();
      await replica.relay.forward({ kind: 'run', taskName: 'job', params: { n: 1 }, runId: 'ok1' });
      await waitFor('the signed request', () => taken.length > 0);
      await waitFor('the queue to empty', async () => {
        const c = new pg.Client({ connectionString: server.url });
        await c.connect();
        const rows = (await c.query('SELECT 1 FROM apogee.requests WHERE app = $1', [name])).rows;
        await c.end();
        return rows.length === 0;
      });
      expect(taken).toEqual([{ kind: 'run', taskName: 'job', params: { n: 1 }, runId: 'ok1' }]);
      const warnings = warn.mock.calls.map((call) => String(call[0])).join('\n');
      expect(warnings).toMatch(
        /refused a "run" request for task "wipe" at "apogee"\.requests \(app "relay\d+", id \d+\): its signature does not match/,
      );
      expect(warnings).toMatch(/refused a "run" request for task "wipe" at .*: it is not signed/);
      expect(warnings).toMatch(
        /skipped a relayed request at "apogee"\.requests \(app "relay\d+", id \d+\): the value is a string, not an object/,
      );
    } finally {
      stop();
      warn.mockRestore();
    }
  });

  it('takes POST /tasks/:name/run to the leader, which runs it once, and shows the shared state in GET /tasks, even when the run ends while the follower restores', async () => {
    const name = `http${String(++n)}`;
    // The leader's run waits for the test, so the follower's restore can read it open.
    const [jobGate, releaseJob] = latch();
    const build = (who: string, parts = postgres({ url: server.url, name, leaseTtl: '10 seconds' })) => {
      const app = new App({ ...parts });
      app.task({ name: 'job' }, async () => {
        if (who === 'leader') await jobGate;
        return who;
      });
      return { app, done: app.run({ handleSignals: false }) };
    };
    const leader = build('leader');
    let follower: ReturnType<typeof build> | undefined;
    let control: Awaited<ReturnType<typeof serveControl>> | undefined;
    // The follower's restore reads its snapshot while the run is open, and replaces the task
    // states with it only after the run's end reached the follower: the race a loaded machine hit.
    const [restoring, restoreStarted] = latch();
    const [runOpen, runStarted] = latch();
    const [snapshot, snapshotRead] = latch();
    const [replace, replaceStates] = latch();
    try {
      await waitFor('a leader', () => leader.app.isLeader, 60_000);
      const parts = postgres({ url: server.url, name, leaseTtl: '10 seconds' });
      const restore = parts.log.restore?.bind(parts.log);
      if (restore === undefined) throw new Error('a Postgres log restores');
      let first = true;
      parts.log.restore = async (options) => {
        if (!first) return restore(options);
        first = false;
        restoreStarted();
        await runOpen;
        const read = await restore(options);
        snapshotRead();
        await replace;
        return read;
      };
      follower = build('follower', parts);
      const { app: followerApp } = follower;
      await restoring;
      control = await serveControl(followerApp, { port: 0 });
      const { url } = control;
      const posted = await fetch(`${url}/tasks/job/run`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(posted.status).toBe(202);
      await waitFor(
        'the leader to start the run',
        async () => (await leader.app.logs.records({ taskName: 'job' })).length > 0,
        60_000,
      );
      runStarted();
      await snapshot;
      releaseJob();
      const shown = async () =>
        ((await (await fetch(`${url}/tasks/job`)).json()) as { status: string | null }).status;
      await waitFor('the follower to show the run', async () => (await shown()) === 'success', 60_000);
      // Now the restore replaces the task states with the snapshot it read while the run was open.
      const started = firstValueFrom(followerApp.events.pipe(filter((e) => e.type === 'schedulerStarted')));
      replaceStates();
      await started;
      expect(await shown()).toBe('success');
      const records = await leader.app.logs.records({ taskName: 'job' });
      expect(records.map((r) => [r.action, r.returnValue])).toEqual([
        ['run', undefined],
        ['success', 'leader'],
      ]);
    } finally {
      for (const release of [releaseJob, runStarted, replaceStates]) release();
      await control?.close();
      await follower?.app.shutdown();
      await follower?.done;
      await leader.app.shutdown();
      await leader.done;
      await leader.app.logs.release?.();
    }
  });
});
