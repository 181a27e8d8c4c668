import type { Row, Tools } from './guaranteesSection';

/** Section 13 of bench/RESULTS.md: a million tasks, registered, started and left idle. */
export function millionSection(tools: Pick<Tools, 'repeat' | 'cell' | 'seconds'>): {
  markdown: string;
  json: Record<string, Row>;
} {
  const { repeat, cell, seconds } = tools;
  const row = repeat('million tasks', 'million', 'apogee', { n: 1_000_000, seconds });
  const bare = repeat('bare heap', 'bareHeap', 'node', { n: 1_000_000, seconds });
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
    `| floor: idle CPU per ${String(seconds)} s of a plain Node process holding ${cell(bare, 'heapMb', 0)} MB of plain objects, ms | ${cell(bare, 'idleCpuMs', 2)} |`,
    '',
    "The floor is a process that only holds a million entries (a Map and an array of small records, about the heap Apogee's tasks hold) and idles the same way: what V8 and libuv cost for such a heap whatever holds it.",
  ].join('\n');
  return { markdown, json: { million: row, bareHeap: bare } };
}
