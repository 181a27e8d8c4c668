import { CliError, EXIT } from './CliError';
import type { ControlClient } from './ControlClient';
import { ProgressDisplay, type ProgressSink } from './ProgressDisplay';

interface RunEventData {
  readonly taskName?: string;
  readonly runId?: string;
  readonly fraction?: number;
  readonly message?: string;
  readonly returnValue?: unknown;
  readonly error?: { readonly message?: string } | string;
  readonly reason?: { readonly message?: string } | string;
}

/** What `trigger --wait` writes to: the outcome to `out`, the progress (a {@link ProgressSink}) apart. */
export interface FollowOutput extends ProgressSink {
  out(line: string): void;
}

const messageOf = (e: RunEventData['error']): string =>
  typeof e === 'string' ? e : (e?.message ?? JSON.stringify(e) ?? 'no reason given');

/**
 * Queues a run of `name` with `params` and follows that run, by the id the API answers, through
 * the event stream (opened first, so that its end cannot be missed) until it ends. Resolves to
 * the command's exit code: 0 when it succeeded or had nothing to do, 5 when it failed, 6 when it
 * was terminated, with the error shown.
 */
export async function followRun(
  api: ControlClient,
  name: string,
  params: Record<string, unknown>,
  io: FollowOutput,
  json: boolean,
): Promise<number> {
  const stop = new AbortController();
  try {
    const events = await api.openEvents(stop.signal);
    const queued = (await api.request('POST', `/tasks/${encodeURIComponent(name)}/run`, params)) as {
      runId?: unknown;
    };
    if (typeof queued.runId !== 'string')
      throw new CliError(
        `The app at ${api.url} did not answer the run's id, so the run cannot be followed: it runs an older @apogee/http. Trigger without --wait, or upgrade the app.`,
        EXIT.refused,
      );
    const runId = queued.runId;
    const label = `${name} ${runId}`;
    if (!json)
      io.line(`queued run ${runId} of ${name}; waiting for it to end (Ctrl-C stops waiting, not the run)`);
    const display = new ProgressDisplay(io, label);
    for await (const event of events) {
      const d = event.data as RunEventData;
      if (d.runId !== runId) continue;
      if (event.type === 'taskStarted') {
        display.runStarted();
        continue;
      }
      if (event.type === 'taskProgress') {
        if (typeof d.fraction === 'number') display.progress(d.fraction, d.message);
        continue;
      }
      if (!['taskSucceeded', 'taskFailed', 'taskTerminated', 'taskInacted'].includes(event.type)) continue;
      const elapsed = display.stop();
      if (json) io.out(JSON.stringify({ type: event.type, ...d }));
      switch (event.type) {
        case 'taskSucceeded':
          if (!json)
            io.out(
              `${label} succeeded in ${elapsed}${d.returnValue === undefined ? '' : `: ${JSON.stringify(d.returnValue)}`}`,
            );
          return EXIT.ok;
        case 'taskInacted':
          if (!json) io.out(`${label} had nothing to do (${elapsed})`);
          return EXIT.ok;
        case 'taskFailed':
          if (!json) io.out(`${label} failed after ${elapsed}: ${messageOf(d.error)}`);
          return EXIT.runFailed;
        default:
          if (!json) io.out(`${label} was terminated after ${elapsed}: ${messageOf(d.reason)}`);
          return EXIT.runTerminated;
      }
    }
    throw new CliError(
      `The app's event stream ended before run ${runId} of ${name} did (did the app stop?). See apogee logs ${name}.`,
      EXIT.unreachable,
    );
  } finally {
    stop.abort();
  }
}
