import type { RelayedRequest, RequestRelay } from '@apogee/core';
import {
  errorMessage,
  readStored,
  relayEntryShape,
  relayPayload,
  signStored,
  verifyStored,
} from '@apogee/core/internal';
import type { Redis } from 'ioredis';
import type { LeaderLease } from './LeaderLease';
import { disconnect } from './disconnect';
import type { RedisNode } from './RedisNode';

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
 */
export class RedisRelay implements RequestRelay {
  constructor(
    private readonly node: RedisNode,
    private readonly lease: LeaderLease,
  ) {}

  async forward(request: RelayedRequest): Promise<void> {
    const { secrets } = this.node;
    const entry =
      secrets.length === 0
        ? request
        : { ...request, signature: signStored(secrets, 'relay', relayPayload(request)) };
    await this.node.client.rpush(this.node.keys.requests, JSON.stringify(entry));
  }

  serve(handler: (request: RelayedRequest) => void): () => void {
    let stopped = false;
    let reader: Redis | undefined;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        if (!this.lease.isLeader) {
          await new Promise((resolve) => setTimeout(resolve, this.lease.renewInterval));
          continue;
        }
        reader ??= this.node.duplicate();
        try {
          const popped = await reader.blpop(this.node.keys.requests, POLL_SECONDS);
          const request = popped === null || stopped ? undefined : this.check(popped[1]);
          if (request !== undefined) handler(request);
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
      if (reader !== undefined) disconnect(reader);
    };
  }

  /** The request an entry holds, or `undefined` (with a warning) when it is malformed or unsigned. */
  private check(raw: string): RelayedRequest | undefined {
    const key = this.node.keys.requests;
    const read = readStored(relayEntryShape, raw);
    if ('problem' in read) {
      this.node.warnings.skip(key, 'a relayed request', read.problem);
      return undefined;
    }
    const { signature, ...request } = read.value;
    const { secrets } = this.node;
    if (secrets.length > 0 && !verifyStored(secrets, 'relay', relayPayload(request), signature)) {
      const problem = signature === undefined ? 'it is not signed' : 'its signature does not match';
      this.node.warnings.refuse(key, `a "${request.kind}" request for task "${request.taskName}"`, problem);
      return undefined;
    }
    return request;
  }
}
