/** One live run: its id, its abort controller and a promise that settles when it has ended. */
export class RunHandle {
  private readonly controller = new AbortController();
  private resolveDone: () => void = () => undefined;
  /** Resolves when the run is recorded as ended, however it ended. */
  readonly done: Promise<void>;
  /** Set once the run's end is recorded; later outcomes of the same run are ignored. */
  settled = false;

  constructor(
    readonly taskName: string,
    readonly runId: string,
    /** Start instant, ms since the epoch. */
    readonly start: number,
  ) {
    this.done = new Promise<void>((resolve) => {
      this.resolveDone = resolve;
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Aborts the run's signal with `reason`. */
  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  /** Marks the run ended; returns false if it already was. */
  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.resolveDone();
    return true;
  }
}
