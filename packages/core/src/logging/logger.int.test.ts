import 'reflect-metadata';
import { Writable } from 'node:stream';
import { runFor } from '@apogee/test-utils';
import pino from 'pino';
import { App, every, MemoryRunLog, type ApogeeLogger, type LogLevel, type RunRecord } from '../index';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-05-04T08:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

type Line = [level: string, message: string, ...rest: unknown[]];

/** A logger that keeps what it is given, level first. */
function recorder(): { logger: ApogeeLogger; lines: Line[] } {
  const lines: Line[] = [];
  const method =
    (level: string) =>
    (message: string, ...rest: unknown[]): void => {
      lines.push([level, message, ...rest]);
    };
  return {
    lines,
    logger: { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') },
  };
}

/** pino writing JSON lines to a stream the test reads, fields passed as the second argument kept. */
function pinoToMemory(): { logger: ApogeeLogger; records: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const logger = pino(
    {
      hooks: {
        // Apogee passes (message, fields); pino takes (fields, message).
        logMethod(args, method) {
          const [message, fields, ...rest] = args as unknown[];
          if (typeof message === 'string' && typeof fields === 'object' && fields !== null)
            method.apply(this, [fields, message, ...rest] as Parameters<typeof method>);
          else method.apply(this, args);
        },
      },
    },
    stream,
  );
  return {
    logger,
    records: () =>
      chunks
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

function failingApp(logger: ApogeeLogger, logLevel?: LogLevel): App {
  const app = new App({ config: { logger, ...(logLevel === undefined ? {} : { logLevel }) } });
  app.task({ name: 'sync', start: every('1 minute') }, () => {
    throw new Error('sync failed', { cause: new Error('ECONNRESET') });
  });
  return app;
}

describe('config.logger', () => {
  it('gets one error line per failed run, naming the task and run, with the stack and its cause', async () => {
    const { logger, lines } = recorder();
    const running = await runFor(failingApp(logger), 30_000);
    const failed = running.events.find((e) => e.type === 'taskFailed');
    expect(lines).toHaveLength(1);
    const [level, message, fields] = lines[0] as Line;
    expect(level).toBe('error');
    expect(message).toMatch(/^Apogee: task "sync" failed \(run \S+\): Error: sync failed\n\s+at /);
    expect(message).toMatch(/\nCaused by: Error: ECONNRESET\n\s+at /);
    expect(fields).toMatchObject({
      task: 'sync',
      runId: failed?.type === 'taskFailed' && failed.runId,
      outcome: 'fail',
    });
  });

  it('keeps the fields as JSON in pino', async () => {
    const { logger, records } = pinoToMemory();
    await runFor(failingApp(logger), 30_000);
    const [line, ...others] = records();
    expect(others).toEqual([]);
    expect(line).toMatchObject({
      level: 50,
      task: 'sync',
      outcome: 'fail',
      runId: expect.any(String) as unknown,
    });
    expect(line?.msg).toMatch(/task "sync" failed .*sync failed[^]*Caused by: Error: ECONNRESET/);
    expect(line?.err).toMatchObject({
      message: 'sync failed: ECONNRESET',
      stack: expect.stringContaining('sync failed') as unknown,
    });
  });

  it('logs a timed-out run as an error and a paused task as a warning', async () => {
    const { logger, lines } = recorder();
    const app = new App({ config: { logger } });
    app.task(
      { name: 'slow', start: every('1 minute'), timeout: '1 second' },
      () => new Promise(() => undefined),
    );
    app.task({ name: 'flaky', start: every('1 minute'), pauseAfterFailures: 2 }, () => {
      throw new Error('down');
    });
    await runFor(app, 100_000);
    expect(lines.map(([level, message]) => `${level} ${message.split('\n')[0] ?? ''}`)).toEqual([
      expect.stringMatching(/^error Apogee: task "flaky" failed \(run \S+\): Error: down$/),
      expect.stringMatching(
        /^error Apogee: task "slow" timed out \(run \S+\): TaskTimeoutError: Task "slow" ran longer/,
      ),
      expect.stringMatching(/^error Apogee: task "flaky" failed/),
      'warn Apogee: task "flaky" is paused after 2 failures in a row (pauseAfterFailures); task.enable() resumes it.',
      expect.stringMatching(/^error Apogee: task "slow" timed out/),
    ]);
  });

  it.each<[LogLevel, string[]]>([
    ['debug', ['error']],
    ['error', ['error']],
    ['silent', []],
  ])('at logLevel %s passes the lines at that level or above', async (logLevel, levels) => {
    const { logger, lines } = recorder();
    await runFor(failingApp(logger, logLevel), 30_000);
    expect(lines.map(([level]) => level)).toEqual(levels);
  });

  it('filters warnings below the level and folds repeated ones: one line per cause per minute, with a count', async () => {
    const { logger, lines } = recorder();
    // A run log that refuses every record: one warning per record would flood the log.
    const log = new (class extends MemoryRunLog {
      override append(record: RunRecord): void {
        if (fail) throw new Error('disk full');
        super.append(record);
      }
    })();
    let fail = true;
    const refusing = new App({ log, config: { logger, logLevel: 'warn' } });
    refusing.task({ name: 'tick', start: every('10 seconds') }, () => undefined);
    const running = await runFor(refusing, 65_000);
    fail = false;
    expect(running.events.filter((e) => e.type === 'taskSucceeded').length).toBeGreaterThan(5);
    expect(lines).toEqual([
      [
        'warn',
        expect.stringMatching(/could not store a .*: disk full\./),
        { code: 'APOGEE_LOG_WRITE_FAILED' },
      ],
      [
        'warn',
        expect.stringMatching(/: disk full\..*\((1[0-9]) more like it in the last minute\)$/),
        { code: 'APOGEE_LOG_WRITE_FAILED' },
      ],
    ]);
  });

  it('refuses a logger without the four methods, naming the one missing', () => {
    expect(
      () => new App({ config: { logger: { ...console, info: undefined } as unknown as ApogeeLogger } }),
    ).toThrow(/config\.logger.*no info/);
    expect(() => new App({ config: { logLevel: 'verbose' as LogLevel } })).toThrow(
      /config\.logLevel: "verbose"/,
    );
  });
});
