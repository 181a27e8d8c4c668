import type { RestoredTask } from '@apogee/core';
import {
  readStored,
  returnPayload,
  storedRecordShape,
  taskStateShape,
  verifyStored,
  type StoredTaskState,
} from '@apogee/core/internal';
import type { RedisNode } from './RedisNode';

/**
 * Every task's state in the shared log (`raw`, the `state` hash as read), each hash field checked: a malformed one is skipped with
 * a warning naming it (that task starts from no history; the next record stored for it rewrites
 * the field, see `logScripts`), and the others are restored.
 */
export async function readTaskStates(
  node: RedisNode,
  raw: Record<string, string>,
): Promise<Map<string, RestoredTask>> {
  const key = `${node.keys.prefix}state`;
  const states = new Map<string, StoredTaskState>();
  for (const [taskName, value] of Object.entries(raw)) {
    const read = readStored(taskStateShape, value);
    if ('problem' in read) node.warnings.skip(`${key} field "${taskName}"`, 'a task state', read.problem);
    else states.set(taskName, read.value);
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

/**
 * The last return value of each task, from what can be trusted: it feeds `@Return` of dependent
 * tasks, that is the arguments of a run. The state hash only copies it, so the value is taken from
 * the success record the state points to, checked to be that task's success; a state field edited
 * alone no longer passes a value of its own. Only when that record is gone (trimmed by retention)
 * does the copy in the state stand in. Without a `secret` this only raises the bar (whoever writes
 * the store can write a record too); with one, the value must carry its HMAC, bound to the task,
 * which only an instance holding the secret can compute.
 */
async function trustedReturnValues(
  node: RedisNode,
  states: ReadonlyMap<string, StoredTaskState>,
): Promise<Map<string, { value: unknown }>> {
  const { prefix } = node.keys;
  const pointed = [...states].flatMap(([taskName, s]) =>
    s.last.success === undefined || s.returnValue === undefined
      ? []
      : [{ taskName, state: s, key: `${prefix}rec:${String(s.last.success.sequence)}` }],
  );
  const values = new Map<string, { value: unknown }>();
  if (pointed.length === 0) return values;
  const raws = await node.client.mget(pointed.map((p) => p.key));
  pointed.forEach(({ taskName, state, key }, i) => {
    const raw = raws[i];
    let json = state.returnValue;
    let signature = state.returnSignature;
    if (raw !== null && raw !== undefined) {
      const read = readStored(storedRecordShape, raw);
      if ('problem' in read || read.value.taskName !== taskName || read.value.action !== 'success') {
        const problem = 'problem' in read ? read.problem : "is not that task's success record";
        node.warnings.skip(key, `the record of task "${taskName}"'s return value`, problem);
        return;
      }
      json = read.value.returnValue;
      signature = read.value.returnSignature;
    }
    if (json === undefined) return;
    if (
      node.secrets.length > 0 &&
      !verifyStored(node.secrets, 'return', returnPayload(taskName, json), signature)
    ) {
      node.warnings.refuse(key, `the return value of task "${taskName}"`, 'it carries no valid signature');
      return;
    }
    values.set(taskName, { value: JSON.parse(json) as unknown });
  });
  return values;
}
