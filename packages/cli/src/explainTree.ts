import { when } from './table';

/** An explanation as `GET /tasks/:name/explain` sends it (see `task.explain()`). */
export interface ExplanationJson {
  readonly condition: string;
  readonly value: boolean;
  readonly next?: string;
  readonly reason?: string;
  readonly children: readonly ExplanationJson[];
}

/** One node's line: ✓ or ✗, the condition, why, and when it can next become true. */
function nodeLine(e: ExplanationJson): string {
  const details = [e.reason, e.next === undefined ? undefined : `next ${when(e.next)}`].filter(
    (d): d is string => d !== undefined,
  );
  return `${e.value ? '✓' : '✗'} ${e.condition}${details.length === 0 ? '' : `: ${details.join('; ')}`}`;
}

/**
 * The explanation as a tree for the terminal, one node a line:
 * ```
 * ✗ daily between 08:00 and 10:00 & after task 'fetch' succeeded
 * ├─ ✗ daily between 08:00 and 10:00: already ran today at 08:00:02; next 2026-12-01 08:00:00Z
 * └─ ✗ after task 'fetch' succeeded: fetch last succeeded before this task's last run
 * ```
 */
export function explainTree(root: ExplanationJson): string[] {
  const lines = [nodeLine(root)];
  const walk = (node: ExplanationJson, indent: string): void => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      lines.push(`${indent}${last ? '└─ ' : '├─ '}${nodeLine(child)}`);
      walk(child, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  walk(root, '');
  return lines;
}
