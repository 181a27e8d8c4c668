import type { RelayedRequest, RequestRelay } from '@apogee/core';
import { errorMessage } from '@apogee/core/internal';
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
 */
export class RedisRelay implements RequestRelay {
  constructor(
    private readonly node: RedisNode,
    private readonly lease: LeaderLease,
  ) {}

  async forward(request: RelayedRequest): Promise<void> {
    await this.node.client.rpush(this.node.keys.requests, JSON.stringify(request));
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
          if (popped !== null && !stopped) handler(JSON.parse(popped[1]) as RelayedRequest);
        } catch (error) {
          if (stopped) return;
          process.emitWarning(
            `Apogee: reading requests from other replicas failed (${errorMessage(error)}).`,
            {
              code: 'APOGEE_REDIS_RELAY',
            },
          );
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
}
