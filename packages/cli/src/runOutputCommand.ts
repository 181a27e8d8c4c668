import type { ControlClient } from './ControlClient';
import { EXIT } from './CliError';

/** A line of run output as the control API answers it (JSON: `at` is an ISO string). */
interface OutputLineJson {
  readonly at: string;
  readonly level: string;
  readonly message: string;
  readonly fields?: Record<string, unknown>;
}

/** Where `apogee logs --run` writes, and whether it writes JSON (one line of JSON per output line). */
export interface RunOutputSink {
  out(line: string): void;
  readonly json: boolean;
}

const ENDED = new Set(['taskSucceeded', 'taskFailed', 'taskTerminated', 'taskInacted']);

const keyOf = (line: OutputLineJson): string => `${line.at}\u0000${line.level}\u0000${line.message}`;

/** One output line for a terminal: time, level, message, then its fields as JSON. */
export function outputLineText(line: OutputLineJson): string {
  const fields = line.fields === undefined ? '' : ` ${JSON.stringify(line.fields)}`;
  return `${line.at.replace('T', ' ').replace(/Z$/, '')} ${line.level.toUpperCase().padEnd(5)} ${line.message}${fields}`;
}

/**
 * `apogee logs --run <id> [--follow]`: prints run `runId`'s output (`GET /runs/:runId/output`).
 * With `follow`, the event stream is opened first, so no line falls between the stored ones and the
 * live ones, and lines are printed as the run writes them until it ends (or Ctrl-C, `signal`).
 */
export async function runOutputCommand(
  api: ControlClient,
  runId: string,
  follow: boolean,
  sink: RunOutputSink,
  signal: AbortSignal,
): Promise<number> {
  const printed = new Set<string>();
  const print = (line: OutputLineJson): void => {
    const key = keyOf(line);
    if (printed.has(key)) return;
    printed.add(key);
    sink.out(sink.json ? JSON.stringify(line) : outputLineText(line));
  };
  const readStored = async (): Promise<void> => {
    const lines = (await api.request('GET', `/runs/${encodeURIComponent(runId)}/output`)) as OutputLineJson[];
    for (const line of lines) print(line);
  };
  if (!follow) {
    await readStored();
    return EXIT.ok;
  }
  const events = await api.openEvents(signal);
  await readStored();
  if (!(await isLive(api, runId))) {
    // It ended before the stream opened, or while the lines were read: what it wrote is stored.
    await readStored();
    return EXIT.ok;
  }
  try {
    for await (const event of events) {
      const data = event.data as { runId?: string; line?: OutputLineJson };
      if (data.runId !== runId) continue;
      if (event.type === 'taskOutput' && data.line !== undefined) print(data.line);
      else if (ENDED.has(event.type)) break;
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  }
  return EXIT.ok;
}

/** Whether `runId` is under way in the app (among the live runs `GET /tasks` lists). */
async function isLive(api: ControlClient, runId: string): Promise<boolean> {
  const tasks = (await api.request('GET', '/tasks')) as { runs?: { runId?: string }[] }[];
  return tasks.some((task) => task.runs?.some((run) => run.runId === runId) === true);
}
