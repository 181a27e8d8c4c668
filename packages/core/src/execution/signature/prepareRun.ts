import type { ResolutionScope } from '../../params/ResolutionScope';
import type { Signature } from '../../params/Signature';
import type { PreparedRun } from './PreparedRun';

/**
 * How a resolved value is made ready to travel: checked (a `SerializationError` naming `key` when
 * it cannot cross) and encoded. In-process runs keep values as they are.
 */
export type EncodeArgument = (value: unknown, key: string) => unknown;

const asIs: EncodeArgument = (value) => value;

/**
 * The one preparation of a run, for every executor: each slot produced where the run is scheduled
 * is resolved in `scope` (through the four levels for `@Arg`) and encoded; each slot produced where
 * it executes is left as a hole for {@link fillRun}. Rejects with the first resolution or encoding
 * failure, which fails the run before it starts.
 */
export async function prepareRun(
  signature: Signature,
  scope: ResolutionScope,
  encode: EncodeArgument = asIs,
): Promise<PreparedRun> {
  const args: unknown[] = [];
  for (const slot of signature.slots) {
    if (slot.produce !== undefined) {
      args.push(null);
      continue;
    }
    const value = await scope.resolveInjection(slot.injection, {
      owner: signature.owner,
      index: slot.index,
      ...(scope.taskName === undefined ? {} : { taskName: scope.taskName }),
    });
    args.push(encode(value, slot.key));
  }
  return { args, executing: signature.executing };
}
