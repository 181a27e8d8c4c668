import { NOT_FOUND, type ResolutionScope } from '../../params/ResolutionScope';
import type { Signature, SignatureSlot } from '../../params/Signature';
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
 *
 * Slots are resolved in order. Those whose level holds a plain value, or a provider without
 * parameters that answers at once, are taken without a promise each (most runs have only such
 * slots): from the first slot that needs an argument computed or awaited, the rest is resolved
 * asynchronously, still in order.
 */
export function prepareRun(
  signature: Signature,
  scope: ResolutionScope,
  encode: EncodeArgument = asIs,
): Promise<PreparedRun> {
  const args: unknown[] = [];
  const { slots } = signature;
  try {
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i] as SignatureSlot;
      if (slot.produce !== undefined) {
        args.push(null);
        continue;
      }
      const value = scope.valueNow(slot.injection);
      if (value === NOT_FOUND) return resolveFrom(i, args, signature, scope, encode);
      args.push(encode(value, slot.key));
    }
  } catch (error) {
    // The failure as raised (an async preparation rejected with it the same way).
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject(error);
  }
  return Promise.resolve({ args, executing: signature.executing });
}

/** Resolves the slots from `first` on into `args`, one after the other. */
async function resolveFrom(
  first: number,
  args: unknown[],
  signature: Signature,
  scope: ResolutionScope,
  encode: EncodeArgument,
): Promise<PreparedRun> {
  const { slots } = signature;
  for (let i = first; i < slots.length; i++) {
    const slot = slots[i] as SignatureSlot;
    if (slot.produce !== undefined) {
      args.push(null);
      continue;
    }
    const plain = scope.valueNow(slot.injection);
    const value =
      plain !== NOT_FOUND
        ? plain
        : await scope.resolveInjection(slot.injection, {
            owner: signature.owner,
            index: slot.index,
            ...(scope.taskName === undefined ? {} : { taskName: scope.taskName }),
          });
    args.push(encode(value, slot.key));
  }
  return { args, executing: signature.executing };
}
