import { format } from 'node:util';
import type { OutputLevel, OutputLine } from '../../log/OutputLine';

/** The console methods a run's output is captured from, and the level each line gets. */
const METHODS = { debug: 'debug', info: 'info', log: 'info', warn: 'warn', error: 'error' } as const;

/**
 * In a worker thread or child process: what the run that is executing writes with `console.*`, or
 * straight to `process.stdout` / `process.stderr`, also becomes lines of its output, passed to
 * `keep` with the id of `current()` (nothing is kept between runs: a timer a run left behind
 * writes to the terminal only). Writes still reach the terminal as before.
 *
 * `console.log` writes to stdout, so the console methods only note the level of the write they
 * cause; the stream patch makes the line (one per write, its trailing newline dropped). A raw
 * stdout write is `info`, a raw stderr write `error`.
 */
export function captureConsole(
  current: () => string | undefined,
  keep: (runId: string, line: OutputLine) => void,
): void {
  let level: OutputLevel | undefined;
  for (const [method, methodLevel] of Object.entries(METHODS)) {
    const original = console[method as keyof typeof METHODS].bind(console);
    console[method as keyof typeof METHODS] = (...args: unknown[]): void => {
      level = methodLevel;
      try {
        original(...args);
      } finally {
        level = undefined;
      }
    };
  }
  const patch = (stream: NodeJS.WriteStream, streamLevel: OutputLevel): void => {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    stream.write = (chunk: unknown, ...rest: unknown[]): boolean => {
      const runId = current();
      if (runId !== undefined) {
        const text =
          typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString() : format(chunk);
        const message = text.endsWith('\n') ? text.slice(0, -1) : text;
        if (message !== '') keep(runId, { at: new Date(), level: level ?? streamLevel, message });
      }
      return write(chunk, ...rest);
    };
  };
  patch(process.stdout, 'info');
  patch(process.stderr, 'error');
}
