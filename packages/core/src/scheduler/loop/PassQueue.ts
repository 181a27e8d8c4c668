/** Consecutive microtask passes before one yields to the event loop. */
export const MAX_MICRO_PASSES = 64;
const RESOLVED = Promise.resolve();

/** What a {@link PassQueue} runs. */
export interface PassRunner {
  pass(): Promise<void>;
}

/**
 * Queues at most one scheduler pass at a time. A microtask keeps an event-triggered pass in the
 * same instant as the event (a follow-up task starts the moment its dependency ends). After a
 * streak of {@link MAX_MICRO_PASSES} of them, `setImmediate` yields to I/O, so even a task that
 * is always due (multilaunch + always) cannot starve the process.
 */
export class PassQueue {
  // ---- state ----
  /** A pass is queued and has not begun. */
  private queued = false;
  /** Microtask passes in a row since the event loop last turned. */
  private microPasses = 0;

  constructor(private readonly runner: PassRunner) {}

  /** Queues a pass unless one is queued already. */
  request(): void {
    if (this.queued) return;
    this.queued = true;
    if (this.microPasses < MAX_MICRO_PASSES) {
      this.microPasses++;
      // A promise job rather than queueMicrotask, which fake-timer libraries replace.
      void RESOLVED.then(this.fromMicrotask);
    } else {
      setImmediate(this.fromImmediate);
    }
  }

  /** The event loop has turned (a timer fired): microtask passes may stream again. */
  loopTurned(): void {
    this.microPasses = 0;
  }

  private readonly fromMicrotask = (): Promise<void> => {
    this.queued = false;
    return this.runner.pass();
  };

  private readonly fromImmediate = (): void => {
    this.microPasses = 0;
    this.queued = false;
    void this.runner.pass();
  };
}
