import 'reflect-metadata';
import { App, Task } from '@apogee/core';
import { Injectable, Module, type LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApogeeModule } from './ApogeeModule';

beforeEach(() => {
  jest.useFakeTimers({ now: new Date('2026-03-02T12:00:00Z') });
});
afterEach(() => {
  jest.useRealTimers();
});

@Injectable()
class Sync {
  @Task({ start: 'every 1 minute' })
  sync() {
    throw new Error('the database is down');
  }
}

/** A Nest logger that keeps its lines: level, message and context. */
function nestLines(): { logger: LoggerService; lines: string[] } {
  const lines: string[] = [];
  const keep =
    (level: string) =>
    (message: unknown, ...rest: unknown[]): void => {
      lines.push(`${level} [${String(rest.at(-1))}] ${String(message)}`);
    };
  return {
    lines,
    logger: {
      log: keep('log'),
      error: keep('error'),
      warn: keep('warn'),
      debug: keep('debug'),
      verbose: keep('verbose'),
    },
  };
}

describe("Apogee's log lines under Nest", () => {
  it("go through Nest's Logger by default: a failing task is one error line with its stack", async () => {
    @Module({ imports: [ApogeeModule.forRoot({})], providers: [Sync] })
    class SyncModule {}
    const { logger, lines } = nestLines();
    const moduleRef = await Test.createTestingModule({ imports: [SyncModule] })
      .setLogger(logger)
      .compile();
    const nest = await moduleRef.init();
    await jest.advanceTimersByTimeAsync(1000);
    const apogee = lines.filter((l) => l.includes('[Apogee]'));
    expect(apogee).toEqual([
      expect.stringMatching(
        /^error \[Apogee\] Apogee: task "sync" failed \(run \S+\): Error: the database is down\n\s+at /,
      ),
    ]);
    await nest.close();
  });

  it('go to config.logger when one is given', async () => {
    const given: string[] = [];
    const keep = (message: string): void => {
      given.push(message);
    };
    @Module({
      imports: [
        ApogeeModule.forRoot({ config: { logger: { debug: keep, info: keep, warn: keep, error: keep } } }),
      ],
      providers: [Sync],
    })
    class SyncModule {}
    const { logger, lines } = nestLines();
    const nest = await (
      await Test.createTestingModule({ imports: [SyncModule] })
        .setLogger(logger)
        .compile()
    ).init();
    await jest.advanceTimersByTimeAsync(1000);
    expect(given).toEqual([expect.stringContaining('task "sync" failed')]);
    expect(lines.filter((l) => l.includes('[Apogee]'))).toEqual([]);
    expect(nest.get(App)).toBeInstanceOf(App);
    await nest.close();
  });
});
