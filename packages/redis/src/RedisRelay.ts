import { QueueFullError, type RelayedRequest, type RequestRelay } from '@apogee/core';
import {
  errorMessage,
  readStored,
  relayEntryShape,
  relayEntry,
  relayPayload,
  verifyStored,
} from '@apogee/core/internal';
import type { Redis } from 'ioredis';
import type { LeaderLease } from './LeaderLease';
import { disconnect } from './disconnect';
import type { RedisNode } from './RedisNode';
import { ADMIT, TAKEN, TAKEOVER } from './relayScripts';

/** How long one blocking read waits, in seconds: how soon a stopped or demoted server notices. */
const POLL_SECONDS = 1;

/**
 * Requests from replicas that do not lead, through a Redis list: a replica pushes (RPUSH), the
 * leader pops (BLPOP, on a connection of its own since it blocks). A pop takes a request off the
 * list atomically, so each is carried out by one leader at most once; a request popped by a
 * leader that dies before queuing it is lost, never doubled.
 *
 * Every entry popped is checked before it is carried out: one that is not a request is skipped,
 * and with a `secret` one without its HMAC is refused, each with a warning naming the list.
 *
 * A `run` request is bounded by its task's `maxBatches`: the push is a script that refuses it
 * when the leader's waiting runs of the task (the `waiting` hash, which the leader writes as its
 * queues change) plus the task's requests on their way (the `transit` hash, counted up with the
 * push) reach the bound. The leader counts a request down only in the same step as it writes the
 * task's queue count with it, so a request is counted all along. Those writes go on the shared
 * connection in the order the scheduler made them (plain EVAL and a pipeline: no reply is
 * awaited between them), so a later count never lands before an earlier one. A new leader
 * rewrites both hashes (its own queues; the list counted again) before it takes a request.
 */
export class RedisRelay implements RequestRelay {
  /** Between `serve()` and what stops it: counts are written only then. */
  private serving = false;

  constructor(
    private readonly node: RedisNode,
    private readonly lease: LeaderLease,
  ) {}

  async forward(request: RelayedRequest): Promise<void> {
    const { secrets, keys, client } = this.node;
    const entry = JSON.stringify(relayEntry(request, secrets));
    const maxBatches = request.kind === 'run' ? request.maxBatches : undefined;
    if (maxBatches === undefined) {
      await client.rpush(keys.requests, entry);
      return;
    }
    const args = [keys.requests, keys.waiting, keys.transit, entry, request.taskName, maxBatches];
    const [accepted, waiting, transit] = (await ADMIT.run(client, args)) as [number, string, string];
    const counted =
      this.count(keys.waiting, request.taskName, waiting) +
      this.count(keys.transit, request.taskName, transit);
    if (accepted !== 1) throw new QueueFullError(request.taskName, counted, maxBatches);
  }

  publishWaiting(changes: ReadonlyMap<string, number>): void {
    // Not serving (shutting down): the next leader rewrites the counts when it takes over.
    if (!this.serving) return;
    const { client, keys } = this.node;
    const pipeline = client.pipeline();
    for (const [task, count] of changes) {
      if (count === 0) pipeline.hdel(keys.waiting, task);
      else pipeline.hset(keys.waiting, task, count);
    }
    pipeline.exec().catch(this.writeFailed);
  }

  serve(
    handler: (request: RelayedRequest) => number | undefined,
    waiting?: () => ReadonlyMap<string, number>,
  ): () => void {
    let stopped = false;
    this.serving = true;
    let reader: Redis | undefined;
    let leading = false;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        if (!this.lease.isLeader) {
          leading = false;
          await new Promise((resolve) => setTimeout(resolve, this.lease.renewInterval));
          continue;
        }
        reader ??= this.node.duplicate();
        try {
          if (!leading) await this.takeOver(waiting?.() ?? new Map());
          leading = true;
          const popped = await reader.blpop(this.node.keys.requests, POLL_SECONDS);
          if (popped !== null && !stopped) this.carryOut(popped[1], handler);
        } catch (error) {
          if (stopped) return;
          this.node.warnings.warn({
            code: 'APOGEE_REDIS_RELAY',
            message: () => `Apogee: reading requests from other replicas failed (${errorMessage(error)}).`,
          });
          await new Promise((resolve) => setTimeout(resolve, this.lease.renewInterval));
        }
      }
    };
    void loop();
    return () => {
      stopped = true;
      this.serving = false;
      if (reader !== undefined) disconnect(reader);
    };
  }

  /**
   * Carries out a popped entry once checked; a `run` one (carried out or refused: it was counted
   * on its way either way) leaves `transit` with its task's new queue count.
   */
  private carryOut(raw: string, handler: (request: RelayedRequest) => number | undefined): void {
    const { keys, warnings, secrets, client } = this.node;
    const read = readStored(relayEntryShape, raw);
    if ('problem' in read) {
      warnings.skip(keys.requests, 'a relayed request', read.problem);
      return;
    }
    const { signature, ...request } = read.value;
    let waiting: number | undefined;
    if (secrets.length > 0 && !verifyStored(secrets, 'relay', relayPayload(request), signature)) {
      const problem = signature === undefined ? 'it is not signed' : 'its signature does not match';
      warnings.refuse(keys.requests, `a "${request.kind}" request for task "${request.taskName}"`, problem);
    } else waiting = handler(request);
    if (request.kind !== 'run') return;
    const args = [keys.waiting, keys.transit, request.taskName, waiting === undefined ? '' : String(waiting)];
    client.eval(TAKEN, 0, ...args).catch(this.writeFailed);
  }

  /** Rewrites the counts another leader left: `waiting` from this process's queues, `transit` from the list. */
  private async takeOver(waiting: ReadonlyMap<string, number>): Promise<void> {
    const { keys, client } = this.node;
    const pairs = [...waiting].flatMap(([task, count]) => [task, String(count)]);
    await client.eval(TAKEOVER, 0, keys.requests, keys.waiting, keys.transit, ...pairs);
  }

  /** A stored count as the bound read it: a whole number, else 0 with a warning naming the key. */
  private count(key: string, task: string, raw: string): number {
    if (raw === '' || /^\d+$/.test(raw)) return raw === '' ? 0 : Number(raw);
    this.node.warnings.skip(
      `${key} (task "${task}")`,
      'a count of runs',
      `"${raw}" is not a whole number; read as 0`,
    );
    return 0;
  }

  private readonly writeFailed = (error: unknown): void => {
    this.node.warnings.warn({
      code: 'APOGEE_REDIS_RELAY',
      message: () => `Apogee: writing the count of waiting runs failed (${errorMessage(error)}).`,
    });
  };
}
