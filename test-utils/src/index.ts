import type { App, SchedulerEvent } from '@apogee/core';

/** A running app under fake timers, with every event it emitted so far. */
export interface Running {
  readonly events: SchedulerEvent[];
  /** `type` (and `:taskName` where there is one) of each event, in order. */
  readonly types: () => string[];
  /** Advances fake time by `ms`, letting the scheduler do what falls due. */
  readonly advance: (ms: number) => Promise<void>;
  /** Shuts the app down and waits for `app.run()` to resolve. */
  readonly stop: () => Promise<void>;
}

/**
 * Starts `app` (jest's modern fake timers must be on) and lets its first pass happen.
 * Each test builds its own app; nothing here is shared between tests.
 */
export async function start(app: App): Promise<Running> {
  const events: SchedulerEvent[] = [];
  const subscription = app.events.subscribe((e) => events.push(e));
  const done = app.run({ handleSignals: false });
  let failure: Error | undefined;
  done.catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error(String(error));
  });
  const advance = async (ms: number): Promise<void> => {
    await jest.advanceTimersByTimeAsync(ms);
    if (failure !== undefined) throw failure;
  };
  await advance(0);
  return {
    events,
    types: () =>
      events.map((e) => ('taskName' in e && e.taskName !== undefined ? `${e.type}:${e.taskName}` : e.type)),
    advance,
    stop: async () => {
      // Shutdown waits for live runs, which need fake time to pass: advance until it is over.
      let stopped = false;
      const stopping = app.shutdown().then(() => {
        stopped = true;
      });
      for (let waited = 0; !stopped && waited < 24 * 3_600_000; waited += 100) {
        await jest.advanceTimersByTimeAsync(waited === 0 ? 0 : 100);
      }
      await stopping;
      await done;
      subscription.unsubscribe();
    },
  };
}

/** Runs `app` for `ms` of fake time, then stops it; returns the events. */
export async function runFor(app: App, ms: number): Promise<Running> {
  const running = await start(app);
  await running.advance(ms);
  await running.stop();
  return running;
}

export { conditionContext } from './conditionContext';
export type { ContextInput, StateInput } from './conditionContext';
export { captureError } from './captureError';
export { serveEachTest } from './serveEachTest';
export { startRedisServer } from './redisServer';
export type { RedisServer } from './redisServer';
export { chromiumPath, launchChromium } from './chromium';
export type { Browser, Page } from 'puppeteer-core';
export { startPostgres, postgresBinDir } from './postgresServer';
export type { PostgresServer } from './postgresServer';
export { Replicas } from './Replicas';
export { useReplicas } from './useReplicas';
export type { ReplicaGroup } from './useReplicas';
export type { ReplicaLine } from './Replicas';
export { waitFor } from './waitFor';
export { TcpProxy } from './TcpProxy';
export { useFakeClock } from './useFakeClock';
export { expectOncePerSecond, expectEveryRunEnded } from './faultAssertions';
export { dueSeconds, lastDueOf, skewByWriter } from './dueSeconds';
export type { DueSeconds } from './dueSeconds';
export { expectCursorPagingMatchesOffsets } from './pagingAssertions';
export { expectOutputKeptWithRecords } from './outputAssertions';
export { warningLogger } from './warningLogger';
export { expectDeadProcessRunSwept } from './crashSweepScenario';
export type { CrashSweepSetup } from './crashSweepScenario';
export { expectFollowersBoundRuns } from './relayBoundScenario';
export type { RelayBoundSetup } from './relayBoundScenario';
