import type { RestoredTask } from '@apogee/core';
import {
  readStoredValue,
  returnPayload,
  storedRecordShape,
  taskStateShape,
  verifyStored,
  type StoredTaskState,
} from '@apogee/core/internal';
import type { PostgresNode } from './PostgresNode';

/**
 * Every task's state in the shared log, each row checked: a malformed one is skipped with a
 * warning naming it (that task starts from no history; the next record stored for it rewrites the
 * row, see migrations.ts), and the others are restored.
 */
export async function readTaskStates(node: PostgresNode): Promise<Map<string, RestoredTask>> {
  const rows = await node.query<{ task: string; state: unknown }>(
    `SELECT task, state FROM ${node.s}.task_state WHERE app = $1`,
    [node.name],
  );
  const states = new Map<string, StoredTaskState>();
  for (const { task, state } of rows) {
    const read = readStoredValue(taskStateShape, state);
    if ('problem' in read) node.warnings.skip(stateKey(node, task), 'a task state', read.problem);
    else states.set(task, read.value);
  }
  const returns = await trustedReturnValues(node, states);
  const restored = new Map<string, RestoredTask>();
  for (const [taskName, s] of states) {
    const last: Record<string, { at: Date; sequence: number }> = {};
    for (const [action, l] of Object.entries(s.last))
      last[action] = { at: new Date(l.at), sequence: l.sequence };
    const returned = returns.get(taskName);
    restored.set(taskName, {
      taskName,
      status: s.status,
      last,
      consecutiveFails: s.consecutiveFails,
      ...(returned === undefined ? {} : { returnValue: returned }),
    });
  }
  return restored;
}

function stateKey(node: PostgresNode, task: string): string {
  return `${node.s}.task_state (app "${node.name}", task "${task}")`;
}

/**
 * The last return value of each task, from what can be trusted: it feeds `@Return` of dependent
 * tasks. The state row only copies it, so the value is taken from the success record the state
 * points to, checked to be that task's success; only when that record is gone (retention) does
 * the copy stand in. With a `secret` the value must also carry its HMAC, bound to the task.
 */
async function trustedReturnValues(
  node: PostgresNode,
  states: ReadonlyMap<string, StoredTaskState>,
): Promise<Map<string, { value: unknown }>> {
  const pointed = [...states].flatMap(([taskName, s]) =>
    s.last.success === undefined || s.returnValue === undefined
      ? []
      : [{ taskName, state: s, seq: s.last.success.sequence }],
  );
  const values = new Map<string, { value: unknown }>();
  if (pointed.length === 0) return values;
  const rows = await node.query<{ seq: string; record: unknown }>(
    `SELECT seq, record FROM ${node.s}.records WHERE app = $1 AND seq = ANY($2::bigint[])`,
    [node.name, pointed.map((p) => p.seq)],
  );
  const bySeq = new Map(rows.map((row) => [Number(row.seq), row.record]));
  for (const { taskName, state, seq } of pointed) {
    const key = `${node.s}.records (app "${node.name}", seq ${String(seq)})`;
    const raw = bySeq.get(seq);
    let json = state.returnValue;
    let signature = state.returnSignature;
    if (raw !== undefined) {
      const read = readStoredValue(storedRecordShape, raw);
      if ('problem' in read || read.value.taskName !== taskName || read.value.action !== 'success') {
        const problem = 'problem' in read ? read.problem : "is not that task's success record";
        node.warnings.skip(key, `the record of task "${taskName}"'s return value`, problem);
        continue;
      }
      json = read.value.returnValue;
      signature = read.value.returnSignature;
    }
    if (json === undefined) continue;
    if (
      node.secrets.length > 0 &&
      !verifyStored(node.secrets, 'return', returnPayload(taskName, json), signature)
    ) {
      node.warnings.refuse(key, `the return value of task "${taskName}"`, 'it carries no valid signature');
      continue;
    }
    values.set(taskName, { value: JSON.parse(json) as unknown });
  }
  return values;
}
