import type { RunHandle } from '../execution/RunHandle';
import type { FoldedWarnings } from '../logging/FoldedWarnings';
import type { OutputLine } from '../log/OutputLine';
import type { RunLogWithOutput } from '../log/withRunOutput';
import { errorMessage } from '../errors/errorMessage';
import type { EventSink } from '../scheduler/events/EventSink';
import { lineBytes } from './lineBytes';
import { DEFAULT_OUTPUT_LIMITS, type OutputLimits } from './OutputLimits';

/** What {@link RunOutput} needs: where lines are stored, emitted and failures reported. */
export interface RunOutputPorts {
  readonly log: Pick<RunLogWithOutput, 'appendOutput'>;
  readonly events: EventSink;
  readonly warn: FoldedWarnings['warn'];
  readonly limits?: OutputLimits;
}

/** How much of its bound a live run has used. */
interface Used {
  lines: number;
  bytes: number;
  /** Set once the "truncated" line is written: everything after it is dropped. */
  truncated: boolean;
}

/** Lines of one run waiting to be stored. */
interface Pending {
  readonly taskName: string;
  readonly lines: OutputLine[];
}

/**
 * Keeps each run's own output (API §14): bounds it per run, emits each line as `taskOutput` and
 * stores the lines in the run log in batches. A batch is everything written while the previous
 * one was being stored (or within one tick), so a chatty run costs a store round trip per batch,
 * not per line, and a live run's lines are readable a moment after they are written.
 */
export class RunOutput {
  private readonly used = new Map<RunHandle, Used>();
  private pending = new Map<string, Pending>();
  /** Settles when the batch being stored is; a new batch starts only after it (lines stay in order). */
  private storing: Promise<void> | undefined;
  private readonly maxLines: number;
  private readonly maxBytes: number;

  constructor(private readonly ports: RunOutputPorts) {
    this.maxLines = ports.limits?.maxLines ?? DEFAULT_OUTPUT_LIMITS.maxLines;
    this.maxBytes = ports.limits?.maxBytes ?? DEFAULT_OUTPUT_LIMITS.maxBytes;
  }

  /** A line run `run` wrote (its `onOutput`). */
  readonly write = (run: RunHandle, line: OutputLine): void => {
    let used = this.used.get(run);
    if (used === undefined) {
      used = { lines: 0, bytes: 0, truncated: false };
      this.used.set(run, used);
    }
    if (used.truncated) return;
    const bytes = lineBytes(line);
    if (used.lines + 1 > this.maxLines || used.bytes + bytes > this.maxBytes) {
      used.truncated = true;
      this.keep(run, this.truncatedLine(line.at));
      return;
    }
    used.lines++;
    used.bytes += bytes;
    this.keep(run, line);
  };

  /** `run` ended: its bound is forgotten (its last lines are still stored). */
  ended(run: RunHandle): void {
    this.used.delete(run);
  }

  /** Resolves once every line written so far is stored (or failed to be). */
  async flushed(): Promise<void> {
    while (this.storing !== undefined) await this.storing;
  }

  private keep(run: RunHandle, line: OutputLine): void {
    const { events } = this.ports;
    if (events.listening)
      events.notify({ type: 'taskOutput', taskName: run.taskName, runId: run.runId, at: line.at, line });
    let pending = this.pending.get(run.runId);
    if (pending === undefined) {
      pending = { taskName: run.taskName, lines: [] };
      this.pending.set(run.runId, pending);
    }
    pending.lines.push(line);
    // A microtask, not a timer: fake timers in tests and a busy event loop both leave it alone.
    this.storing ??= Promise.resolve().then(() => this.store());
  }

  private async store(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = this.pending;
      this.pending = new Map();
      await Promise.all([...batch].map(([runId, p]) => this.append(runId, p)));
    }
    this.storing = undefined;
  }

  private async append(runId: string, pending: Pending): Promise<void> {
    try {
      await this.ports.log.appendOutput(runId, pending.taskName, pending.lines);
    } catch (error) {
      this.ports.warn({
        code: 'APOGEE_LOG_WRITE_FAILED',
        cause: 'output',
        message: () =>
          `Apogee: the run log could not store ${String(pending.lines.length)} line(s) of output of run ${runId} ` +
          `of task "${pending.taskName}" (${errorMessage(error)}); they are lost, the run goes on.`,
      });
    }
  }

  private truncatedLine(at: Date): OutputLine {
    return {
      at,
      level: 'warn',
      message:
        `Apogee: output truncated: this run wrote more than ${String(this.maxLines)} lines or ` +
        `${String(this.maxBytes)} bytes (config.runOutput); the rest is dropped.`,
    };
  }
}
