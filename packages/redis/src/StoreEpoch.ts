import { randomBytes } from 'node:crypto';
import type { ApogeeLogger } from '@apogee/core';
import { CAMPAIGN, WRITE_BACK } from './epochScripts';
import type { HeldState, SnapshotSize } from './HeldState';
import type { RedisNode } from './RedisNode';

/** The code of the error logged when Redis was found emptied under a running replica. */
export const STORE_EMPTIED = 'APOGEE_STORE_EMPTIED';

/**
 * Notices a Redis emptied under running replicas (restarted without persistence, or flushed), and
 * has this replica write back the state it holds before anyone restores from the empty store.
 *
 * The store keeps an epoch, a random id written once into an empty store. Every replica learns it
 * at its first heartbeat or campaign and reads it again at each one (in the same script, so the
 * check costs no round trip): gone or changed, the store was emptied since. The replica then writes
 * back what it holds ({@link HeldState}: task states, pauses, last starts, open runs), never over
 * anything newer, logs it as an error, and adopts the new epoch; until then it does not campaign.
 * Whoever writes a new epoch (a replica writing back, or a process started after the flush)
 * also holds every campaign off for `settleMs`, a heartbeat TTL: each running replica heartbeats
 * three times in it, so the first leader of the emptied store restores what they wrote back, and
 * a `daily` task that ran today does not run again. (A brand-new app waits that long for its
 * first leader too: an empty store cannot tell it was never used.)
 */
export class StoreEpoch {
  private known: string | undefined;
  private recovering: Promise<void> | undefined;
  private held: HeldState | undefined;
  private logger: ApogeeLogger | undefined;

  constructor(
    private readonly node: RedisNode,
    /** How long campaigns wait once an empty store got its epoch. */
    readonly settleMs: number,
  ) {}

  /** What this replica writes back (its run log's state). */
  hold(state: HeldState): void {
    this.held = state;
  }

  /** From now on the error of an emptied store goes to `logger.error`. */
  useLogger(logger: ApogeeLogger): void {
    this.logger = logger;
  }

  /** The epoch a heartbeat or campaign (`where`) read, `null` if none: writes back if it changed. */
  observe(current: string | null, where: string): void {
    if (this.known === undefined) {
      if (current !== null) this.known = current;
      return;
    }
    if (current !== this.known) this.recover(current, where);
  }

  /**
   * One campaign for the lease `leaseKey` under `token`, refused while the epoch is not the one this
   * process knows (it writes back first) or the store is settling. Returns whether it was taken.
   */
  async campaign(leaseKey: string, token: string, ttl: number): Promise<boolean> {
    const { keys, client } = this.node;
    const reply = (await CAMPAIGN.run(client, [
      leaseKey,
      token,
      ttl,
      keys.epoch,
      keys.settle,
      this.known ?? '',
      freshEpoch(),
      this.settleMs,
    ])) as [number, string];
    this.observe(reply[1], 'a campaign for the lease');
    return reply[0] === 1;
  }

  /** Writes back what this replica holds, once at a time; adopts the epoch the script returns. */
  private recover(found: string | null, where: string): void {
    if (this.recovering !== undefined) return;
    const started = performance.now();
    const snapshot = this.held?.snapshot();
    const { keys } = this.node;
    this.recovering = WRITE_BACK.run(this.node.client, [
      keys.prefix,
      keys.epoch,
      keys.settle,
      freshEpoch(),
      this.settleMs,
      JSON.stringify(snapshot ?? { states: {}, paused: {}, lastStart: {}, open: {}, seq: 0 }),
    ])
      .then((reply) => {
        const [epoch, states, paused, lastStart, open] = reply as [string, number, number, number, number];
        this.known = epoch;
        const held = this.held?.size ?? { states: 0, paused: 0, lastStart: 0, open: 0 };
        const ms = Math.round(performance.now() - started);
        this.report(found, where, { states, paused, lastStart, open }, held, ms);
      })
      .catch((error: unknown) => {
        this.node.warnings.failed(
          'write back the state it holds into a Redis emptied under it',
          error,
          'It does not campaign meanwhile; the next heartbeat tries again.',
        );
      })
      .finally(() => {
        this.recovering = undefined;
      });
  }

  /** Logs the emptied store as an error: which key told, and what was written back. */
  private report(
    found: string | null,
    where: string,
    written: SnapshotSize,
    held: SnapshotSize,
    ms: number,
  ): void {
    const { keys } = this.node;
    const part = (n: number, of: number, what: string): string =>
      `${String(n)} ${what}${n === of ? '' : ` (of ${String(of)} held; the rest was already there, or newer)`}`;
    const message =
      `Apogee: @apogee/redis "${keys.name}": Redis was emptied under this replica (${keys.epoch} was ` +
      `${found === null ? 'gone' : 'replaced'} at ${where}): it restarted without persistence, or was flushed. ` +
      `This replica wrote back the state it holds, in ${String(ms)} ms: ` +
      `${part(written.states, held.states, 'task states')} into ${keys.prefix}state, ` +
      `${part(written.paused, held.paused, 'pause states')} into ${keys.prefix}paused, ` +
      `${part(written.lastStart, held.lastStart, 'last starts')} into ${keys.prefix}lastStart, ` +
      `${part(written.open, held.open, 'open runs')} into ${keys.prefix}open. ` +
      'So no task runs again for what it ran already; the run history and output stored before are lost. ' +
      'Turn on persistence (appendonly yes); see the README, "What survives what".';
    if (this.logger !== undefined) this.logger.error(message, { code: STORE_EMPTIED });
    else process.emitWarning(message, { type: 'RedisStoreEmptiedError', code: STORE_EMPTIED });
  }
}

function freshEpoch(): string {
  return randomBytes(9).toString('base64url');
}
