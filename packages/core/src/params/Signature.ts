import type { Argument } from './Argument';
import { SCHEDULED, type ArgumentPlacement } from './ArgumentPlacement';
import type { Injection } from './Injection';
import type { RunContext } from './RunContext';

/** One parameter of a compiled {@link Signature}. */
export interface SignatureSlot {
  /** Its position in the call (after the leading values a `cond(name, ...args)` binds). */
  readonly index: number;
  /** What it receives, as declared. */
  readonly injection: Injection;
  /** What messages call it: the key of `@Arg('key')`, else the decorator (`@Signal()`). */
  readonly key: string;
  /** Where its value is produced, and whether a worker can receive it. */
  readonly placement: ArgumentPlacement;
  /** The argument that makes it where the run executes; set when `placement.produced` is `executing`. */
  readonly produce?: (run: RunContext) => unknown;
}

/**
 * What a callable's parameters receive (a task, a custom condition, a parameter provider),
 * compiled once at registration from its decorators or its `inject: [...]` list. Each slot says
 * where its value is produced, so that preparing a run (`prepareRun`) and filling it in where it
 * executes (`fillRun`) are one function each for every execution mode, and a worker rebuilds the
 * same signature from the same metadata.
 */
export class Signature {
  /** Positions of the slots made where the run executes, ascending. */
  readonly executing: readonly number[];

  private constructor(
    /** `Class.method` or the callable's name, for messages. */
    readonly owner: string,
    /** Values bound before the injected parameters (`cond(name, ...args)`). */
    readonly leading: number,
    /** Its injected parameters, in order. */
    readonly slots: readonly SignatureSlot[],
  ) {
    this.executing = slots.filter((s) => s.placement.produced === 'executing').map((s) => s.index);
  }

  /**
   * The signature of a callable whose parameters after `leading` receive `injections`, in order.
   * A callable that takes nothing gets the shared {@link Signature.EMPTY}: its owner names no
   * parameter in any message, and a million such tasks need no million copies.
   */
  static compile(injections: readonly Injection[], owner: string, leading = 0): Signature {
    if (injections.length === 0 && leading === 0) return Signature.EMPTY;
    return new Signature(
      owner,
      leading,
      injections.map((injection, i) => slotOf(injection, leading + i)),
    );
  }

  /** A callable that takes nothing. */
  static readonly EMPTY: Signature = new Signature('(none)', 0, []);

  /** The injections in order (after the leading values), as declared. */
  get injections(): readonly Injection[] {
    return this.slots.map((s) => s.injection);
  }
}

function slotOf(injection: Injection, index: number): SignatureSlot {
  if (injection.kind === 'keyed') return { index, injection, key: injection.key, placement: SCHEDULED };
  const argument: Argument = injection.argument;
  const declared = argument.placement;
  // An argument that says `executing` but cannot produce is computed where the run is scheduled.
  const produce = declared.produced === 'executing' ? argument.produce?.bind(argument) : undefined;
  const placement: ArgumentPlacement =
    produce === undefined && declared.produced === 'executing'
      ? { ...declared, produced: 'scheduled' }
      : declared;
  const base = { index, injection, key: injection.decorator, placement };
  return produce === undefined ? base : { ...base, produce };
}
