import { printable } from './printable';

/** Where the command writes; tests and embedders can capture it. */
export interface Output {
  /** Writes one line of the command's result (stdout). */
  out(line: string): void;
  /** Writes one line of diagnostics: errors, warnings, progress as lines (stderr). */
  err(line: string): void;
  /**
   * Redraws one status line in place (a progress bar); `''` clears it. Given only when the output
   * is a terminal: without it, progress is written as lines.
   */
  status?(text: string): void;
}

// Whatever reaches the terminal is escaped (see printable): lines carry run data, and only the
// status line's own redraw sequence is meant for the terminal.
/** The process's stdout and stderr, with a status line when stderr is a terminal. */
export const terminalOutput = (): Output => ({
  out: (l) => void process.stdout.write(`${printable(l)}\n`),
  err: (l) => void process.stderr.write(`${printable(l)}\n`),
  ...(process.stderr.isTTY
    ? { status: (text: string) => void process.stderr.write(`\r\x1b[2K${printable(text)}`) }
    : {}),
});
