import { when } from './table';

/** A task as `GET /tasks/:name` sends it: the fields `apogee why` reads. */
export interface TaskJson {
  readonly name: string;
  readonly disabled?: boolean;
  readonly batches?: number;
  readonly runs?: readonly {
    runId: string;
    started: string;
    progress?: { fraction: number; message?: string };
  }[];
}

export /** What besides its condition decides whether the task starts: disabled, queued runs, live runs. */
function taskState(task: TaskJson): string[] {
  const lines: string[] = [];
  if (task.disabled === true)
    lines.push(`${task.name} is disabled: it does not start on its condition (apogee enable ${task.name}).`);
  if ((task.batches ?? 0) > 0)
    lines.push(
      `${task.name} has ${String(task.batches)} run(s) queued: they start whatever the condition says.`,
    );
  for (const run of task.runs ?? [])
    lines.push(
      `${task.name} is running: run ${run.runId} since ${when(run.started)}${run.progress === undefined ? '' : `, ${String(Math.floor(run.progress.fraction * 100))}% done${run.progress.message === undefined ? '' : ` (${run.progress.message})`}`}.`,
    );
  lines.push(`Start condition of ${task.name}:`);
  return lines;
}
