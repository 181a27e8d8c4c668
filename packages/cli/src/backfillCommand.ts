import { CliError, EXIT } from './CliError';
import type { ControlClient } from './ControlClient';
import type { Output } from './Output';
import { ProgressDisplay } from './ProgressDisplay';

/** The options of `apogee backfill`. */
export const BACKFILL_OPTIONS = {
  from: { type: 'string' },
  to: { type: 'string' },
  concurrency: { type: 'string' },
} as const;

/** What `POST /tasks/:name/backfill` reports (`BackfillReport`). */
interface Report {
  readonly instants: number;
  readonly started: number;
  readonly skipped: number;
  readonly failed: number;
}

/** One line of the streamed answer. */
type Line = { progress: Report } | { report: Report } | { error: string };

/** The request body from the command line; a missing or malformed option is a usage error. */
function backfillBody(values: { from?: string; to?: string; concurrency?: string }): Record<string, unknown> {
  if (values.from === undefined || values.to === undefined)
    throw new CliError(
      'apogee backfill needs --from and --to, ISO 8601 dates such as --from 2026-03-01 --to 2026-03-08T00:00:00Z.',
      EXIT.usage,
    );
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !Number.isInteger(concurrency))
    throw new CliError(`--concurrency takes a whole number, got "${values.concurrency ?? ''}".`, EXIT.usage);
  return { from: values.from, to: values.to, ...(concurrency === undefined ? {} : { concurrency }) };
}

/** `3 of 6 instants (2 skipped), 1 failed`: instants done (skipped or run to their end) of all. */
function progressText(done: number, p: Report): string {
  const skipped = p.skipped > 0 ? ` (${String(p.skipped)} skipped)` : '';
  return `${String(done)} of ${String(p.instants)} instants${skipped}, ${String(p.failed)} failed`;
}

/** The bar, drawn where errors go: stdout stays the outcome. */
function backfillDisplay(name: string, io: Output): ProgressDisplay {
  return new ProgressDisplay(
    {
      line: (text) => {
        io.err(text);
      },
      ...(io.status === undefined ? {} : { status: io.status.bind(io) }),
    },
    `backfill ${name}`,
  );
}

/**
 * `apogee backfill <task> --from <date> --to <date> [--concurrency n]`: runs the backfill through
 * the control API, drawing its progress (instants done of those in the range, skipped ones
 * included) as a bar, then the report (with `--json`, the report alone). Exits 0 when no run failed, 5 when one did.
 */
export async function backfillCommand(
  api: ControlClient,
  name: string,
  values: { from?: string; to?: string; concurrency?: string; json?: boolean },
  io: Output,
): Promise<number> {
  const body = backfillBody(values);
  // With --json the output is for a program: the report alone, no bar (not even on stderr).
  const display = values.json === true ? undefined : backfillDisplay(name, io);
  let report: Report | undefined;
  // Each progress line after the first comes as one run ended.
  let ended = -1;
  try {
    for await (const line of api.postLines(
      `/tasks/${encodeURIComponent(name)}/backfill`,
      body,
    ) as AsyncGenerator<Line>) {
      if ('error' in line) throw new CliError(`backfill ${name} stopped: ${line.error}`, EXIT.refused);
      if ('report' in line) report = line.report;
      else {
        ended++;
        const p = line.progress;
        // Skipped instants are done from the start: counted with the runs that ended.
        const done = p.skipped + ended;
        display?.progress(p.instants === 0 ? 1 : done / p.instants, progressText(done, p));
      }
    }
  } finally {
    display?.stop();
  }
  if (report === undefined)
    throw new CliError(`backfill ${name}: the app ended the answer without a report.`, EXIT.refused);
  if (values.json === true) io.out(JSON.stringify(report, null, 2));
  else
    io.out(
      `backfill ${name}: ${String(report.instants)} instants, ${String(report.started)} run, ` +
        `${String(report.failed)} failed, ${String(report.skipped)} skipped (they had a run)`,
    );
  return report.failed > 0 ? EXIT.runFailed : EXIT.ok;
}
