/** Where a followed run is shown. */
export interface ProgressSink {
  /** A line for the record (non-terminal output): each progress report that changed the bar. */
  line(text: string): void;
  /** Redraws the one status line in place; absent when the output is not a terminal. */
  status?(text: string): void;
}

const WIDTH = 24;

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `[#########---------------]  38%`: the fraction as a bar of {@link WIDTH} cells. */
export function progressBar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * WIDTH);
  const percent = `${String(Math.floor(fraction * 100))}%`.padStart(4);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${percent}`;
}

/**
 * The progress of one run in the terminal, drawn by hand (no dependency): on a terminal one
 * status line redrawn in place, a bar once the run reports progress and the time elapsed until
 * then (ticking every second); elsewhere (a pipe, a CI log) a line per report whose text changed.
 */
export class ProgressDisplay {
  private last: { fraction: number; message?: string } | undefined;
  private lastLine: string | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly sink: ProgressSink,
    private readonly label: string,
    private readonly now: () => number = Date.now,
    private started: number = now(),
  ) {
    if (sink.status !== undefined) {
      this.draw();
      this.ticker = setInterval(() => {
        this.draw();
      }, 1000);
      this.ticker.unref();
    }
  }

  /** The run reported `fraction` (0 to 1) and maybe a message. */
  progress(fraction: number, message?: string): void {
    this.last = message === undefined ? { fraction } : { fraction, message };
    if (this.sink.status !== undefined) {
      this.draw();
      return;
    }
    const text = `${this.label} ${progressBar(fraction)}${message === undefined ? '' : ` ${message}`}`;
    if (text !== this.lastLine) this.sink.line(text);
    this.lastLine = text;
  }

  /**
   * The run began now: the time elapsed counts from here, not from when it was queued (a run can
   * wait for a slot, and "failed after 9 s" must not count the wait).
   */
  runStarted(): void {
    this.started = this.now();
    if (this.sink.status !== undefined) this.draw();
  }

  /** Stops redrawing and clears the status line; returns the time elapsed, for the outcome. */
  stop(): string {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.ticker = undefined;
    this.sink.status?.('');
    return seconds(this.now() - this.started);
  }

  private draw(): void {
    const elapsed = seconds(this.now() - this.started);
    const p = this.last;
    this.sink.status?.(
      p === undefined
        ? `${this.label} running, ${elapsed}`
        : `${this.label} ${progressBar(p.fraction)}${p.message === undefined ? '' : ` ${p.message}`} (${elapsed})`,
    );
  }
}
