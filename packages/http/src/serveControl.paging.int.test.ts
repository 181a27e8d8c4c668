import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, MemoryRunLog, never, type RunLog, type RunQuery, type RunRecord } from '@apogee/core';
import { serveControl, type ControlServer } from './index';
import { sendJson } from './sendJson';
import { toJson } from './toJson';

/**
 * A request over a long history must not hold the event loop: the scheduler's timers and other
 * requests run between its slices. Asserted by counting turns of the loop (a setImmediate chain)
 * between slices, never by timing them.
 */
jest.setTimeout(120_000);

const RECORDS = 100_000;
const SECOND = 1000;
const now = Date.now();

/** A log of 100,000 records of task "big", one every 5 s up to now, noting the loop's turn at each read. */
class CountingLog implements RunLog {
  readonly inner = new MemoryRunLog({ perTask: RECORDS });
  readonly turnsAtRead: number[] = [];

  constructor(private readonly turns: () => number) {
    for (let i = 0; i < RECORDS; i++) {
      const at = new Date(now - (RECORDS - i) * 5 * SECOND);
      const runId = `r${String(Math.floor(i / 2))}`;
      this.inner.append(
        i % 2 === 0
          ? { taskName: 'big', runId, action: 'run', created: at, start: at }
          : { taskName: 'big', runId, action: 'success', created: at, start: at, end: at, runtime: 1 },
      );
    }
  }

  append(record: RunRecord): void {
    this.inner.append(record);
  }

  records(query?: RunQuery): Promise<RunRecord[]> {
    this.turnsAtRead.push(this.turns());
    return this.inner.records(query);
  }
}

/** Turns of the event loop, counted by a setImmediate chain while `counting` is true. */
let turns = 0;
let counting = false;
function countTurns(): void {
  counting = true;
  const tick = (): void => {
    turns++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
}

let app: App;
let log: CountingLog;
let control: ControlServer;

function get(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: control.port, path }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    })
      .on('error', reject)
      .end();
  });
}

/** Every two consecutive reads of the log had at least one turn of the loop between them. */
function expectTurnsBetweenReads(reads: readonly number[], atLeast: number): void {
  expect(reads.length).toBeGreaterThanOrEqual(atLeast);
  for (let i = 1; i < reads.length; i++) expect(reads[i]).toBeGreaterThan(reads[i - 1] as number);
}

beforeAll(() => {
  log = new CountingLog(() => turns);
});
beforeEach(async () => {
  app = new App({ log });
  app.task({ name: 'big', start: never }, () => 'done');
  control = await serveControl(app, { port: 0 });
  log.turnsAtRead.length = 0;
  countTurns();
});
afterEach(async () => {
  counting = false;
  await control.close();
});

describe('a long history, read in slices', () => {
  it('searches 100,000 records for a run that is not there, yielding between pages', async () => {
    const reply = await get('/runs/nope?task=big');
    expect(reply.status).toBe(404);
    expect(reply.body).toContain('latest 100000 records');
    expectTurnsBetweenReads(log.turnsAtRead, 100);
  });

  it('finds the oldest run of the 100,000 records', async () => {
    const reply = await get('/runs/r0?task=big');
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toMatchObject({ runId: 'r0', action: 'success' });
    expectTurnsBetweenReads(log.turnsAtRead, 100);
  });

  it('draws a week of 100,000 records as a timeline, yielding between pages', async () => {
    const from = now - 6 * 24 * 3600 * SECOND;
    const reply = await get(`/timeline?task=big&from=${String(from)}&to=${String(now)}&buckets=2000`);
    expect(reply.status).toBe(200);
    const timeline = JSON.parse(reply.body) as { lanes: { total: number; cells: number[][] }[] };
    expect(timeline.lanes[0]?.total).toBe(RECORDS / 2);
    expect(timeline.lanes[0]?.cells.length).toBeGreaterThan(1000);
    expectTurnsBetweenReads(log.turnsAtRead, 100);
  });
});

describe('sendJson', () => {
  it('writes a large answer in slices with turns of the loop between them, the same JSON as at once', async () => {
    const records = await log.inner.records({ taskName: 'big', limit: 10_000 });
    const turnsAtWrite: number[] = [];
    const server = createServer((_req, res) => {
      const write = res.write.bind(res);
      res.write = ((chunk: string) => {
        turnsAtWrite.push(turns);
        return write(chunk);
      }) as typeof res.write;
      void sendJson(res, 200, { records, note: undefined, when: new Date(0) });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port: (server.address() as AddressInfo).port }, (res) => {
          expect(res.headers['cache-control']).toBe('no-store');
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => {
            resolve(text);
          });
        })
          .on('error', reject)
          .end();
      });
      expect(body).toBe(toJson({ records, note: undefined, when: new Date(0) }));
      expectTurnsBetweenReads(turnsAtWrite, 10);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
