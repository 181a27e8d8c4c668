import type { Row, Tools } from './guaranteesSection';

/** Section 13 of bench/RESULTS.md: a million tasks, registered, started and left idle. */
export function millionSection(tools: Pick<Tools, 'repeat' | 'cell' | 'seconds'>): {
  markdown: string;
  json: Record<string, Row>;
} {
  const { repeat, cell, seconds } = tools;
  const row = repeat('million tasks', 'million', 'apogee', { n: 1_000_000, seconds });
  const markdown = [
    '### 13. A million tasks: registration, start-up, heap and idle CPU',
    '',
    `One process registers 1,000,000 tasks with one \`daily.at(...)\` start that is not due (one function, \`app.task\` in a loop), queues one run of another task, and runs the app; then it idles for ${String(seconds)} s after start-up's garbage is collected (as in section 1).`,
    '',
    '| measurement | value |',
    '|---|---|',
    `| registering the tasks, seconds | ${cell(row, 'registerSeconds', 2)} |`,
    `| \`app.run()\` to the queued run, seconds | ${cell(row, 'startSeconds', 2)} |`,
    `| heap held (after GC), MB | ${cell(row, 'heapMb', 0)} |`,
    `| heap per task, bytes | ${cell(row, 'bytesPerTask', 0)} |`,
    `| idle CPU per ${String(seconds)} s, ms | ${cell(row, 'idleCpuMs', 2)} |`,
    `| GC pauses in the idle window, ms | ${cell(row, 'idleGcMs', 2)} |`,
  ].join('\n');
  return { markdown, json: { million: row } };
}
